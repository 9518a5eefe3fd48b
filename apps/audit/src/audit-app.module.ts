import { Module } from '@nestjs/common';
import { ServiceConfigModule } from '@orderflow/config';
import { MessagingModule } from '@orderflow/messaging';
import { ObservabilityModule } from '@orderflow/observability';
import { PersistenceModule } from '@orderflow/persistence';
import { AuditEventEntity } from './audit/audit-event.entity';
import { AuditModule } from './audit/audit.module';
import { auditEnvSchema } from './audit.env';
import { AuditEventTable1764100000500 } from './migrations/1764100000500-audit-event-table';
import { AuditEventPrincipal1764100000510 } from './migrations/1764100000510-audit-event-principal';

/** A pure subscriber: it publishes nothing (no outbox) and deduplicates on the event id itself (no inbox). */
@Module({
  imports: [
    ServiceConfigModule.forRoot(auditEnvSchema),
    PersistenceModule.forService({
      service: 'audit',
      entities: [AuditEventEntity],
      migrations: [AuditEventTable1764100000500, AuditEventPrincipal1764100000510],
    }),
    MessagingModule.forService({ service: 'audit' }),
    ObservabilityModule.forService({ service: 'audit' }),
    AuditModule,
  ],
})
export class AuditAppModule {}
