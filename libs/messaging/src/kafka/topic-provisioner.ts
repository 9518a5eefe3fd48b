import { Injectable, Logger } from '@nestjs/common';
import {
  AnalyticsClockTopic,
  analyticsResultTopics,
  commandTopics,
  consumedBy,
  deadLetterTopicOf,
  eventTopics,
  Participant,
  Participants,
  producedBy,
  replyTopicOf,
  requestTopics,
  Topic,
} from '@orderflow/contracts';
import { Admin, ITopicConfig } from 'kafkajs';
import { KafkaConnection } from './kafka-connection';
import { pollUntil } from './poll-until';

export interface TopicPlan {
  topic: string;
  partitions: number;
  config?: Record<string, string>;
}

/**
 * A dead letter is the original value plus headers saying why, so a `.dlq` topic takes larger
 * records than the broker's default (1 MiB): a value refused as too large still fits its DLQ.
 */
export const DEAD_LETTER_TOPIC_CONFIG = { 'max.message.bytes': String(2 * 1024 * 1024) };

/**
 * Every topic of the contracts registry with an explicit partition count. Auto-created topics get
 * one partition, and a `.reply` topic needs one partition per live caller instance.
 */
export function plannedTopics(partitions: number): TopicPlan[] {
  const consumed = [...requestTopics, ...commandTopics, ...eventTopics];
  return [
    ...consumed.map((topic) => ({ topic, partitions })),
    ...requestTopics.map((topic) => ({ topic: replyTopicOf(topic), partitions })),
    ...consumed.map((topic) => ({ topic: deadLetterTopicOf(topic), partitions: 1, config: DEAD_LETTER_TOPIC_CONFIG })),
  ];
}

/**
 * The part of a plan that `participant` produces or consumes. With the broker's ACLs on, a principal
 * sees only the topics it may describe: the others would look missing, and it may not create them
 * (the admin provisions every topic beforehand). Without ACLs each app creates what it uses.
 */
export function planOf(participant: string, plan: TopicPlan[]): TopicPlan[] {
  if (!(Object.values(Participants) as string[]).includes(participant)) return plan;
  const used = new Set(
    [...producedBy(participant as Participant), ...consumedBy(participant as Participant)].map(({ topic }) => topic),
  );
  return plan.filter(({ topic }) => used.has(topic));
}

/**
 * The stream processor's result topics, compacted since each key's latest value is the result, with
 * their dead-letter topics for results that fail validation in the analytics app.
 */
export function resultTopicPlan(partitions: number): TopicPlan[] {
  return [
    ...analyticsResultTopics.map((topic) => ({ topic, partitions, config: { 'cleanup.policy': 'compact' } })),
    ...analyticsResultTopics.map((topic) => ({
      topic: deadLetterTopicOf(topic as unknown as Topic),
      partitions: 1,
      config: DEAD_LETTER_TOPIC_CONFIG,
    })),
  ];
}

/** The processor's clock: one partition, short retention (as streams/order-analytics creates it). */
const clockTopicPlan: TopicPlan = {
  topic: AnalyticsClockTopic,
  partitions: 1,
  config: { 'retention.ms': String(60 * 60 * 1000) },
};

/** Every topic of the system, for an admin that provisions them all before the apps start. */
export function systemTopicPlan(partitions: number): TopicPlan[] {
  return [...plannedTopics(partitions), ...resultTopicPlan(partitions), clockTopicPlan];
}

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
