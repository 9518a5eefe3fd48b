import { Logger } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import type { ConsumerGroupJoinEvent, IMemberAssignment } from '@nestjs/microservices/external/kafka.interface';

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/**
 * Nest's ClientKafka, its reply consumer fetching only the partitions it names to servers. A request
 * asks for its answer on the partition Nest notes for the reply topic at each assignment (the lowest
 * this instance holds: `getReplyTopicPartition`), yet kafkajs fetches every assigned partition: one
 * instance holds all of every reply topic, and each of them is encoded into every fetch request, looked
 * up by the broker and decoded from every response, though no answer ever lands there. At each
 * assignment the others are paused, and the named ones resumed (a paused partition that became the
 * named one after a rebalance).
 */
export class ReplyPartitionClientKafka extends ClientKafka {
  private readonly replyLogger = new Logger(ReplyPartitionClientKafka.name);

  protected override setConsumerAssignments(data: ConsumerGroupJoinEvent): void {
    super.setConsumerAssignments(data);
    const { named, unnamed } = replyPartitionsOf(data.payload.memberAssignment, this.consumerAssignments);
    try {
      this.consumer.resume(named);
      this.consumer.pause(unnamed);
    } catch (error) {
      // Only a cost: the unnamed partitions are fetched, and stay empty.
      this.replyLogger.warn(`reply partitions not paused: ${String(error)}`);
    }
  }
}

/** Of an assignment, per topic, the partition named in requests (`namedByTopic`, Nest's) and the others. */
export function replyPartitionsOf(
  assignment: IMemberAssignment,
  namedByTopic: Record<string, number>,
): { named: TopicPartitions[]; unnamed: TopicPartitions[] } {
  const named: TopicPartitions[] = [];
  const unnamed: TopicPartitions[] = [];
  for (const [topic, partition] of Object.entries(namedByTopic)) {
    named.push({ topic, partitions: [partition] });
    const others = (assignment[topic] ?? []).filter((assigned) => assigned !== partition);
    if (others.length > 0) unnamed.push({ topic, partitions: others });
  }
  return { named, unnamed };
}
