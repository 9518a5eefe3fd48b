import { commonEnv, databaseEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

export const notificationsEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3104),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4104),
  /** Where each notification is POSTed as JSON. Unset: notifications are only recorded. */
  WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  WEBHOOK_MAX_ATTEMPTS: positiveInt.default(5),
  /** The first retry waits this long; each next one twice as long. */
  WEBHOOK_BACKOFF_MS: positiveInt.default(500),
  WEBHOOK_TIMEOUT_MS: positiveInt.default(5000),
});

export type NotificationsEnv = z.infer<typeof notificationsEnvSchema>;
