import { commonEnv, databaseEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

export const auditEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3105),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4105),
  /**
   * The consumer group (Nest adds `-server`); defaults to `audit`. A second, independent audit log
   * (its own database) reads the whole history again under a group of its own.
   */
  AUDIT_GROUP_ID: z
    .string()
    .regex(/^[a-z][a-z0-9._-]{0,99}$/, 'must be a lower-case Kafka group id')
    .optional(),
});

export type AuditEnv = z.infer<typeof auditEnvSchema>;
