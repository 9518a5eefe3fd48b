import { KafkaSecurity, kafkaSecurityConfig, kafkaSecurityOf, KafkaSettings } from '@orderflow/messaging';
import { KafkaConfig } from 'kafkajs';

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

/** kafkajs options of a benchmark client. */
export function benchKafkaConfig(clientId: string, brokers: string): KafkaConfig {
  return { clientId, brokers: brokers.split(','), ...kafkaSecurityConfig(benchSecurity()) };
}

/** The settings the apps would build from their environment, for a benchmark peer. */
export function benchKafkaSettings(brokers: string, groupId: string): KafkaSettings {
  return {
    brokers: brokers.split(','),
    clientId: `${groupId}-${process.pid}`,
    groupId,
    instanceId: String(process.pid),
    partitionsConsumedConcurrently: 3,
    topicPartitions: 3,
    requestTimeoutMs: 10_000,
    replicationFactor: 1,
    maxAttempts: 3,
    retryBackoffMs: 100,
    shutdownTimeoutMs: 10_000,
    security: benchSecurity(),
  };
}
