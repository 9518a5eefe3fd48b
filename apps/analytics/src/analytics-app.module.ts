import { Module } from '@nestjs/common';
import { ServiceConfigModule } from '@orderflow/config';
import { ObservabilityModule } from '@orderflow/observability';
import { MessagingModule } from '@orderflow/messaging';
import { PersistenceModule } from '@orderflow/persistence';
import { analyticsEntities } from './analytics/analytics-entities';
import { AnalyticsModule } from './analytics/analytics.module';
import { analyticsEnvSchema } from './analytics.env';
import { AnalyticsTables1764100000700 } from './migrations/1764100000700-analytics-tables';

/** Reads the stream processor's result topics into its own tables and answers the gateway's queries. */
@Module({
  imports: [
    ServiceConfigModule.forRoot(analyticsEnvSchema),
    PersistenceModule.forService({
      service: 'analytics',
      entities: analyticsEntities,
      migrations: [AnalyticsTables1764100000700],
    }),
    MessagingModule.forService({ service: 'analytics' }),
    ObservabilityModule.forService({ service: 'analytics' }),
    AnalyticsModule,
  ],
})
export class AnalyticsAppModule {}
