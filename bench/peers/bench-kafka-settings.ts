import { ConfigService } from '@nestjs/config';
import { kafkaEnv, parseEnv } from '@orderflow/config';
import {
  applyRequestQueueTimerFix,
  kafkaClientTransport,
  KafkaEnv,
  KafkaSecurity,
  kafkaSecurityConfig,
  kafkaSecurityOf,
  KafkaSettings,
  kafkaSettings,
  OFFSET_COMMIT_INTERVAL_MS,
} from '@orderflow/messaging';
import type { CustomStrategy, KafkaOptions } from '@nestjs/microservices';
import { Kafka, KafkaConfig, Partitioners } from 'kafkajs';
import { z } from 'zod';

/**
 * The benchmark's principal: the admin of the benchmark's own broker, which openBenchEnvironment puts
 * in the environment every peer inherits (none for an outside cluster without authentication).
 */
export function benchSecurity(): KafkaSecurity {
  return kafkaSecurityOf({
    KAFKA_SASL_USERNAME: process.env.KAFKA_SASL_USERNAME,
    KAFKA_SASL_PASSWORD: process.env.KAFKA_SASL_PASSWORD,
  });
}

/** kafkajs options of a benchmark client that is no contender (the runner's admin, producers, watcher). */
export function benchKafkaConfig(clientId: string, brokers: string): KafkaConfig {
  return { clientId, brokers: brokers.split(','), ...kafkaSecurityConfig(benchSecurity()) };
}

/**
 * The settings an app builds from its environment (the apps' schema, its defaults included), for a
 * benchmark peer of either side: only the brokers, the principal and the group are the peer's.
 */
export function benchKafkaSettings(brokers: string, groupId: string): KafkaSettings {
  const env = parseEnv(z.object(kafkaEnv), {
    KAFKA_BROKERS: brokers,
    KAFKA_SASL_USERNAME: process.env.KAFKA_SASL_USERNAME,
    KAFKA_SASL_PASSWORD: process.env.KAFKA_SASL_PASSWORD,
    INSTANCE_ID: String(process.pid),
  });
  return kafkaSettings(new ConfigService<KafkaEnv, true>(env as Record<string, unknown>), groupId);
}

/** The kafkajs options of one side, as Nest's Kafka transport takes them. */
export type TransportOptions = NonNullable<KafkaOptions['options']>;

/** Nest's ClientKafka options of the apps (a requester), as libs/messaging builds them. */
export function orderflowClientOptions(settings: KafkaSettings): TransportOptions {
  return kafkaClientTransport(settings).options ?? {};
}

/**
 * The options a server transport of the apps (a responder, a consumer) was built with. Nest keeps them
 * protected; reading them, not restating them, keeps the raw baseline on the apps' settings.
 */
export function orderflowServerOptions(transport: CustomStrategy): TransportOptions {
  return (transport.strategy as unknown as { options: TransportOptions }).options;
}

/**
 * A raw kafkajs client on the apps' settings: their client options and, as every app process has it,
 * the kafkajs request-queue timer fix (without it each connection keeps a 1 ms timer running).
 */
export function rawKafka(options: TransportOptions): Kafka {
  applyRequestQueueTimerFix();
  return new Kafka(options.client ?? { brokers: [] });
}

/** What the report prints of one side's Kafka settings, each the same words for either side. */
export function describeKafkaOptions(options: TransportOptions): Record<string, string> {
  const { client, consumer, producer, run, send } = options;
  const or = (value: unknown, unit = '') => (value === undefined ? 'kafkajs default' : `${String(value)}${unit}`);
  return {
    'fetch wait': or(consumer?.maxWaitTimeInMs, ' ms'),
    'session timeout / heartbeat': `${or(consumer?.sessionTimeout, ' ms')} / ${or(consumer?.heartbeatInterval, ' ms')}`,
    'partitions consumed concurrently': or(run?.partitionsConsumedConcurrently),
    'offset commits': run?.autoCommit === false ? `every ${OFFSET_COMMIT_INTERVAL_MS} ms` : 'after every batch',
    acks: or(send?.acks),
    idempotent: or(producer?.idempotent),
    'max in-flight requests': or(producer?.maxInFlightRequests),
    partitioner:
      producer?.createPartitioner === undefined
        ? 'kafkajs default'
        : producer.createPartitioner === Partitioners.DefaultPartitioner
          ? 'DefaultPartitioner'
          : 'another',
    retry: client?.retry
      ? `${or(client.retry.initialRetryTime, ' ms')} × ${or(client.retry.retries)}`
      : 'kafkajs default',
    'request-queue timer fix': applyRequestQueueTimerFix().isApplied ? 'applied' : 'not applied',
  };
}
