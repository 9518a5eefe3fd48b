import { Injectable, OnModuleInit } from '@nestjs/common';
import { analyticsResultTopics, deadLetterTopicOf, Topic } from '@orderflow/contracts';
import { KafkaConnection } from '@orderflow/messaging';
import type { Admin } from 'kafkajs';

const LEADER_WAIT_MS = 30_000;

/**
 * The stream processor's result topics exist before this app subscribes, whichever starts first
 * (the processor creates them too): compacted, since each key's latest value is the result. Their
 * dead-letter topics are created beside them, for results that fail validation.
 */
@Injectable()
export class ResultTopics implements OnModuleInit {
  constructor(private readonly kafka: KafkaConnection) {}

  async onModuleInit(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const { topicPartitions, replicationFactor } = this.kafka.settings;
      const topics = [
        ...analyticsResultTopics.map((topic) => ({
          topic,
          numPartitions: topicPartitions,
          replicationFactor,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        })),
        ...analyticsResultTopics.map((topic) => ({
          topic: deadLetterTopicOf(topic as unknown as Topic),
          numPartitions: 1,
          replicationFactor,
        })),
      ].filter(({ topic }) => !existing.has(topic));
      if (topics.length > 0) {
        try {
          await admin.createTopics({ topics, waitForLeaders: true });
        } catch (error) {
          // The stream processor races to create the same topics; only one still missing is a failure.
          const now = new Set(await admin.listTopics());
          if (topics.some(({ topic }) => !now.has(topic))) throw error;
        }
      }
      await this.leadersOf([...analyticsResultTopics], admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** Topics another client just created may not have leaders yet: subscribing then fails the consumer. */
  private async leadersOf(topics: string[], admin: Admin): Promise<void> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (;;) {
      try {
        const metadata = await admin.fetchTopicMetadata({ topics });
        const isLed = metadata.topics.every(
          ({ partitions }) => partitions.length > 0 && partitions.every(({ leader }) => leader >= 0),
        );
        if (isLed) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`result topics without leaders after ${LEADER_WAIT_MS} ms`);
      await new Promise((wake) => setTimeout(wake, 200));
    }
  }
}
