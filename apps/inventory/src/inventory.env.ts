import { commonEnv, databaseEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

export const inventoryEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3102),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4102),
});

export type InventoryEnv = z.infer<typeof inventoryEnvSchema>;
