import { commonEnv, databaseEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';

export const searchEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  ...databaseEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3106),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4106),
  /**
   * Every partition it reads at once (seven topics of six partitions by default), not eight: under the
   * saga load the projection's merges wait for CPU and PostgreSQL, and with eight at a time the
   * events queued behind them (kafkajs fetches again only when the whole last fetch is handled).
   * Order within a partition is kept, and the merges tolerate any order across partitions.
   */
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: kafkaEnv.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY.default(48),
});

export type SearchEnv = z.infer<typeof searchEnvSchema>;
