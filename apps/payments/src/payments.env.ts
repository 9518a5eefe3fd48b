import { commonEnv, databaseEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

export const paymentsEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3103),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4103),
});

export type PaymentsEnv = z.infer<typeof paymentsEnvSchema>;
