import { commonEnv, databaseEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

export const ordersEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3101),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4101),
});

export type OrdersEnv = z.infer<typeof ordersEnvSchema>;
