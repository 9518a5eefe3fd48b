/** The topics every target creates: dev's Job and ConfigMap, prod's KafkaTopics. */
// libs/contracts' message classes are decorated as they load.
import 'reflect-metadata';
import { analyticsResultTopics, deadLetterTopicOf, Topic } from '@orderflow/contracts';
import { plannedTopics, TopicPlan } from '@orderflow/messaging';
import { javaStringConstants } from '../orderflow-apps';

/**
 * Every topic of the registry with its `.reply` and `.dlq` companions (what TopicProvisioner
 * creates), and the stream processor's own.
 */
export function topicPlan(partitions: number): TopicPlan[] {
  return [...plannedTopics(partitions), ...streamTopicPlan(partitions)];
}

/**
 * The processor's topics beside the registry's, as it and the analytics app create them: its clock
 * (one partition, an hour of ticks) and the result topics (compacted) with their dead letters. Its
 * changelog and repartition topics (`<application.id>-...`) are Kafka Streams' own, created by the
 * app with KAFKA_REPLICATION_FACTOR: no KafkaTopic, and Strimzi's topic operator leaves unmanaged
 * topics alone.
 */
function streamTopicPlan(partitions: number): TopicPlan[] {
  const clock = javaStringConstants('order-analytics', 'AnalyticsTopics').CLOCK;
  if (!clock) throw new Error('streams/order-analytics: AnalyticsTopics.CLOCK is gone');
  return [
    { topic: clock, partitions: 1, config: { 'retention.ms': String(60 * 60 * 1000) } },
    ...analyticsResultTopics.map((topic) => ({ topic, partitions, config: { 'cleanup.policy': 'compact' } })),
    ...analyticsResultTopics.map((topic) => ({ topic: deadLetterTopicOf(topic as unknown as Topic), partitions: 1 })),
  ];
}
