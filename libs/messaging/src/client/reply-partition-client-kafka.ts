import { Logger } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import type { ConsumerGroupJoinEvent, IMemberAssignment } from '@nestjs/microservices/external/kafka.interface';

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/**
 * Nest's ClientKafka, its reply consumer fetching only the partitions it names to servers. A request
 * asks for its answer on the lowest partition of the reply topic that this instance holds
 * (`getReplyTopicPartition`), yet kafkajs fetches every assigned partition: one instance holds all of
 * every reply topic, and each of them is encoded into every fetch request, looked up by the broker and
 * decoded from every response, though no answer ever lands there. At each assignment the others are
 * paused, and the lowest ones resumed (a paused partition that became the lowest after a rebalance).
 */
export class ReplyPartitionClientKafka extends ClientKafka {
  private readonly replyLogger = new Logger(ReplyPartitionClientKafka.name);

  protected override setConsumerAssignments(data: ConsumerGroupJoinEvent): void {
    super.setConsumerAssignments(data);
    const { named, unnamed } = replyPartitionsOf(data.payload.memberAssignment);
    try {
      this.consumer.resume(named);
      this.consumer.pause(unnamed);
    } catch (error) {
      // Only a cost: the unnamed partitions are fetched, and stay empty.
      this.replyLogger.warn(`reply partitions not paused: ${String(error)}`);
    }
  }
}

/** Of an assignment, per topic, the partition named in requests (the lowest) and the ones never named. */
export function replyPartitionsOf(assignment: IMemberAssignment): {
  named: TopicPartitions[];
  unnamed: TopicPartitions[];
} {
  const named: TopicPartitions[] = [];
  const unnamed: TopicPartitions[] = [];
  for (const [topic, partitions] of Object.entries(assignment)) {
    if (partitions.length === 0) continue;
    const lowest = Math.min(...partitions);
    named.push({ topic, partitions: [lowest] });
    const others = partitions.filter((partition) => partition !== lowest);
    if (others.length > 0) unnamed.push({ topic, partitions: others });
  }
  return { named, unnamed };
}
