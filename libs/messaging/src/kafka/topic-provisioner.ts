import { Injectable, Logger } from '@nestjs/common';
import { Admin, ITopicConfig } from 'kafkajs';
import { KafkaConnection } from './kafka-connection';
import { pollUntil } from './poll-until';
import { planOf, plannedTopics, TopicPlan } from './topic-plan';

@Injectable()
export class TopicProvisioner {
  private readonly logger = new Logger(TopicProvisioner.name);

  constructor(private readonly kafka: KafkaConnection) {}

  /**
   * Waits until the broker's group coordinator answers for `groupId`. On a fresh broker it loads
   * `__consumer_offsets` for seconds; kafkajs gives a joining consumer about 4 s, then crashes it
   * with a non-retriable error and never restarts it.
   */
  async awaitGroupCoordinator(groupId: string, timeoutMs = 60_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await pollUntil(() => admin.describeGroups([groupId]).then(() => true), {
        timeoutMs,
        intervalMs: 250,
        timedOut: () => new Error(`no group coordinator for ${groupId} after ${timeoutMs} ms`),
      });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Creates the missing topics of the plan that this app uses; existing ones are left as they are.
   * Safe for instances racing at start.
   */
  async ensureTopics(fullPlan: TopicPlan[] = plannedTopics(this.kafka.settings.topicPartitions)): Promise<void> {
    const plan = planOf(this.kafka.settings.groupId, fullPlan);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing: ITopicConfig[] = plan
        .filter(({ topic }) => !existing.has(topic))
        .map(({ topic, partitions, config }) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: this.kafka.settings.replicationFactor,
          configEntries: Object.entries(config ?? {}).map(([name, value]) => ({ name, value })),
        }));
      if (missing.length > 0) {
        try {
          await admin.createTopics({ topics: missing, waitForLeaders: true });
          this.logger.log(`created ${missing.length} topics`);
        } catch (error) {
          // Instances starting together race to create the same topics; only a topic still missing is a failure.
          const now = new Set(await admin.listTopics());
          const stillMissing = missing.filter(({ topic }) => !now.has(topic));
          if (stillMissing.length > 0) throw error;
        }
      }
      // Topics another client created a moment ago (in that race, or before our listing) may have no
      // leader yet: a consumer or producer using them now fails with "This server does not host this
      // topic-partition".
      await awaitLeaders(
        admin,
        plan.map(({ topic }) => topic),
      );
    } finally {
      await admin.disconnect();
    }
  }
}

/** Resolves once every partition of `topics` has a leader in the metadata `admin` is served. */
export async function awaitLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  let leaderless = topics;
  await pollUntil(
    async () => {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      leaderless = found
        .filter(({ partitions }) => partitions.length === 0 || partitions.some(({ leader }) => leader < 0))
        .map(({ name }) => name);
      return leaderless.length === 0;
    },
    {
      timeoutMs,
      intervalMs: 100,
      timedOut: () => new Error(`topics without a leader after ${timeoutMs} ms: ${leaderless.join(', ')}`),
    },
  );
}
