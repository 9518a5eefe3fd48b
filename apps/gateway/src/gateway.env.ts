import { commonEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

/** The gateway is stateless: Kafka and HTTP only, no database. */
export const gatewayEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3000),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
