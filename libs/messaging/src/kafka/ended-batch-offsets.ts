import type { LoggerService } from '@nestjs/common';
import type { Consumer, ConsumerEndBatchProcessEvent, Offsets, OffsetsByTopicPartition } from 'kafkajs';
import { CommitsOffsets, OffsetCommits } from './offset-commits';

type EndedBatch = Pick<ConsumerEndBatchProcessEvent['payload'], 'topic' | 'partition' | 'lastOffset'>;

/**
 * What OffsetCommits needs, for a consumer run with `eachMessage` and `autoCommit: false` (Nest's
 * ClientKafka in the request client, the benchmark's raw peers), where no batch payload hands over
 * kafkajs's own bookkeeping: the offsets after each batch that kafkajs reports ended
 * (`END_BATCH_PROCESS`), committed with the consumer's `commitOffsets`. A batch cut short by a stop
 * counts as ended: for replies that is harmless, a stopping client waits for none.
 */
export class EndedBatchOffsets implements CommitsOffsets {
  private readonly next = new Map<string, { topic: string; partition: number; offset: string }>();

  constructor(private readonly consumer: Pick<Consumer, 'commitOffsets'>) {}

  ended({ topic, partition, lastOffset }: EndedBatch): void {
    this.next.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(lastOffset) + 1n).toString() });
  }

  /** The client flushes before it closes, so every ended batch waits for the interval. */
  isRunning(): boolean {
    return true;
  }

  /** What ended since the last call; taken, so a failed commit leaves it to the next batch's. */
  uncommittedOffsets(): OffsetsByTopicPartition {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of this.next.values()) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset }]);
    }
    this.next.clear();
    return { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
  }

  commitOffsetsIfNecessary(offsets?: Offsets): Promise<void> {
    return this.consumer.commitOffsets(
      (offsets?.topics ?? []).flatMap(({ topic, partitions }) =>
        partitions.map(({ partition, offset }) => ({ topic, partition, offset })),
      ),
    );
  }
}

/**
 * Commits what `consumer` (run with `autoCommit: false`, its messages handled by the time kafkajs ends
 * their batch) consumed once an interval, as the servers do (OffsetCommits); `flush` commits the rest,
 * e.g. before it disconnects.
 */
export function commitEndedBatches(
  consumer: Pick<Consumer, 'commitOffsets' | 'on' | 'events'>,
  logger: Pick<LoggerService, 'warn'>,
): Pick<OffsetCommits, 'flush'> {
  const offsets = new EndedBatchOffsets(consumer);
  const commits = new OffsetCommits(logger);
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    offsets.ended(payload);
    void commits.handled(offsets);
  });
  return commits;
}
