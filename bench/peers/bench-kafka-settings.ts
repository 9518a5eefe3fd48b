import { KafkaSettings } from '@orderflow/messaging';

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
  };
}
