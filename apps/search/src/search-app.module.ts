import { Module } from '@nestjs/common';
import { ServiceConfigModule } from '@orderflow/config';
import { MessagingModule } from '@orderflow/messaging';
import { ObservabilityModule } from '@orderflow/observability';
import { PersistenceModule } from '@orderflow/persistence';
import { SearchModule } from './search/search.module';
import { searchEnvSchema } from './search.env';
import { searchEntities, searchMigrations } from './search-persistence';

/**
 * A read model built from events only. It publishes nothing (no outbox) and needs no inbox: every
 * event is applied as an idempotent, order-independent merge (see OrderProjectionRepository).
 */
@Module({
  imports: [
    ServiceConfigModule.forRoot(searchEnvSchema),
    PersistenceModule.forService({ service: 'search', entities: searchEntities, migrations: searchMigrations }),
    MessagingModule.forService({ service: 'search' }),
    ObservabilityModule.forService({ service: 'search' }),
    SearchModule,
  ],
})
export class SearchAppModule {}
