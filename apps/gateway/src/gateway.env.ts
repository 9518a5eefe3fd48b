import { commonEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

/** The gateway is stateless: Kafka and HTTP only, no database. */
export const gatewayEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3000),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4000),
  /**
   * Requests one principal (a client address when anonymous) may make per minute on one instance, the
   * probes not counted. A ceiling against a runaway client rather than a quota: the saga benchmark sends
   * a few hundred orders per second from one principal.
   */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60_000),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
