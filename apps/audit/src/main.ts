import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { runService } from '@orderflow/runtime';
import { AuditAppModule } from './audit-app.module';
import { AuditEnv, auditEnvSchema } from './audit.env';

let groupId: string | undefined;

void runService({
  service: 'audit',
  module: AuditAppModule,
  env: auditEnvSchema,
  configure: (app) => {
    groupId = app.get<ConfigService<AuditEnv, true>>(ConfigService).get('AUDIT_GROUP_ID', { infer: true });
  },
  // From the earliest offset on first start: audit catches up on everything already in the log.
  consumer: (settings) => ({ groupId: groupId ?? settings.groupId, fromBeginning: true }),
});
