import { hostname } from 'node:os';
import { ConfigService } from '@nestjs/config';
import { KafkaConfig, logLevel, Partitioners, ProducerConfig, SASLOptions } from 'kafkajs';
import { kafkaLogCreator } from './kafka-log';

export const KAFKA_SETTINGS = Symbol('KAFKA_SETTINGS');

/** The Kafka part of an app's validated environment. */
export interface KafkaEnv {
  KAFKA_BROKERS: string;
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: number;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_REQUEST_TIMEOUT_MS: number;
  KAFKA_REPLICATION_FACTOR: number;
  MESSAGE_MAX_ATTEMPTS: number;
  MESSAGE_RETRY_BACKOFF_MS: number;
  SHUTDOWN_TIMEOUT_MS: number;
  INSTANCE_ID?: string;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  /** The password read from the file (the schema reads it). */
  KAFKA_SASL_PASSWORD_FILE?: string;
  /** The CA certificate(s) read from the file (the schema reads it). */
  KAFKA_TLS_CA_FILE?: string;
}

/** How a client proves who it is and checks the broker: SASL/SCRAM when credentials are set, TLS when a CA is. */
export interface KafkaSecurity {
  sasl?: SASLOptions;
  tlsCa?: string;
}

export interface KafkaSettings {
  brokers: string[];
  /** Unique per instance; the group id stays stable per service. */
  clientId: string;
  groupId: string;
  instanceId: string;
  partitionsConsumedConcurrently: number;
  topicPartitions: number;
  requestTimeoutMs: number;
  replicationFactor: number;
  maxAttempts: number;
  retryBackoffMs: number;
  shutdownTimeoutMs: number;
  security: KafkaSecurity;
}

export function kafkaSettings(config: ConfigService<KafkaEnv, true>, service: string): KafkaSettings {
  const instanceId = config.get('INSTANCE_ID', { infer: true }) ?? `${hostname()}-${process.pid}`;
  return {
    brokers: config.get('KAFKA_BROKERS', { infer: true }).split(','),
    clientId: `${service}-${instanceId}`,
    groupId: service,
    instanceId,
    partitionsConsumedConcurrently: config.get('KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY', { infer: true }),
    topicPartitions: config.get('KAFKA_TOPIC_PARTITIONS', { infer: true }),
    requestTimeoutMs: config.get('KAFKA_REQUEST_TIMEOUT_MS', { infer: true }),
    replicationFactor: config.get('KAFKA_REPLICATION_FACTOR', { infer: true }),
    maxAttempts: config.get('MESSAGE_MAX_ATTEMPTS', { infer: true }),
    retryBackoffMs: config.get('MESSAGE_RETRY_BACKOFF_MS', { infer: true }),
    shutdownTimeoutMs: config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }),
    security: kafkaSecurityOf({
      KAFKA_SASL_USERNAME: config.get('KAFKA_SASL_USERNAME', { infer: true }),
      KAFKA_SASL_PASSWORD: config.get('KAFKA_SASL_PASSWORD', { infer: true }),
      KAFKA_SASL_PASSWORD_FILE: config.get('KAFKA_SASL_PASSWORD_FILE', { infer: true }),
      KAFKA_TLS_CA_FILE: config.get('KAFKA_TLS_CA_FILE', { infer: true }),
    }),
  };
}

export type KafkaSecurityEnv = Pick<
  KafkaEnv,
  'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD' | 'KAFKA_SASL_PASSWORD_FILE' | 'KAFKA_TLS_CA_FILE'
>;

/**
 * From the validated environment (the files already read): SCRAM-SHA-512, what the local broker and
 * Strimzi's SCRAM listener accept. No user name: no SASL.
 */
export function kafkaSecurityOf(env: KafkaSecurityEnv): KafkaSecurity {
  const password = env.KAFKA_SASL_PASSWORD ?? env.KAFKA_SASL_PASSWORD_FILE;
  return {
    ...(env.KAFKA_SASL_USERNAME !== undefined && password !== undefined
      ? { sasl: { mechanism: 'scram-sha-512', username: env.KAFKA_SASL_USERNAME, password } }
      : {}),
    ...(env.KAFKA_TLS_CA_FILE !== undefined ? { tlsCa: env.KAFKA_TLS_CA_FILE } : {}),
  };
}

/** The kafkajs options of a client's security, also for the tools that build their own client. */
export function kafkaSecurityConfig(security: KafkaSecurity): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  return {
    ...(security.sasl ? { sasl: security.sasl } : {}),
    ...(security.tlsCa !== undefined ? { ssl: { ca: [security.tlsCa] } } : {}),
  };
}

export function kafkaClientConfig(settings: KafkaSettings, clientSuffix = ''): KafkaConfig {
  return {
    clientId: settings.clientId + clientSuffix,
    brokers: settings.brokers,
    ...kafkaSecurityConfig(settings.security),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator,
    retry: kafkaRetry,
  };
}

/**
 * Every client's retries: from 100 ms, doubling, 8 times (about 25 s, at least 20 s with kafkajs's
 * jitter). Consumers are given them explicitly: kafkajs gives a consumer `{ retries: 5 }` over the
 * client's unless told (about 3 s), shorter than its group coordinator's failover (the broker fenced
 * after broker.session.timeout.ms, 9 s, then a new leader elected: 11 s in the three-broker suite). A
 * consumer that ran out crashed into a restart under a new member id and took nothing until it had
 * rejoined (docs/failure-handling.md).
 */
export const kafkaRetry = { initialRetryTime: 100, retries: 8 } as const;

/**
 * One partitioner everywhere (kafkajs 2 changed its default): keyed messages from every producer,
 * Nest's included, land on the same partition.
 */
export const producerPartitioner = Partitioners.DefaultPartitioner;

export const producerDefaults: ProducerConfig = {
  createPartitioner: producerPartitioner,
  allowAutoTopicCreation: false,
};

/** Idempotent, acks=all: a retried send never duplicates or reorders within a partition. */
export const idempotentProducerConfig: ProducerConfig = {
  ...producerDefaults,
  idempotent: true,
  maxInFlightRequests: 1,
};
