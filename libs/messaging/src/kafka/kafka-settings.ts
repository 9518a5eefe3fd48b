import { hostname } from 'node:os';
import { ConfigService } from '@nestjs/config';
import { KafkaConfig, logLevel, Partitioners, ProducerConfig } from 'kafkajs';
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
  };
}

export function kafkaClientConfig(settings: KafkaSettings, clientSuffix = ''): KafkaConfig {
  return {
    clientId: settings.clientId + clientSuffix,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator,
    retry: { initialRetryTime: 100, retries: 8 },
  };
}

/**
 * One partitioner everywhere (kafkajs 2 changed its default): keyed messages from every producer,
 * Nest's included, land on the same partition.
 */
export const producerDefaults: ProducerConfig = {
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
};

/** Idempotent, acks=all: a retried send never duplicates or reorders within a partition. */
export const idempotentProducerConfig: ProducerConfig = {
  ...producerDefaults,
  idempotent: true,
  maxInFlightRequests: 1,
};
