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
