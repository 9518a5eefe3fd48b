import { Kafka, logLevel } from 'kafkajs';
import { BENCH_PARTITIONS } from '../bench-topics';
import { benchKafkaConfig } from '../peers/bench-kafka-settings';

export function benchKafka(brokers: string, clientId: string): Kafka {
  return new Kafka({ ...benchKafkaConfig(clientId, brokers), logLevel: logLevel.NOTHING });
}

/** Creates the benchmark's topics with the same partition count for the baseline and for Orderflow. */
export async function ensureBenchTopics(brokers: string, topics: string[]): Promise<void> {
  const admin = benchKafka(brokers, 'bench-admin').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: BENCH_PARTITIONS, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
}
