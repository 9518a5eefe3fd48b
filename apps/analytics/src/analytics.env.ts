import { commonEnv, databaseEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

export const analyticsEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3107),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4107),
});

export type AnalyticsEnv = z.infer<typeof analyticsEnvSchema>;
