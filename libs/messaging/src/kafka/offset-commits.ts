import type { LoggerService } from '@nestjs/common';
import type { EachBatchPayload } from 'kafkajs';

/**
 * How long a consumer's handled offsets may wait to be committed. kafkajs commits after every
 * partition batch, and under load a batch holds one or two messages: offset commits were half of the
 * apps' Kafka requests, each an append to `__consumer_offsets` on the broker (bench/README.md, "Kafka
 * requests per order"). What it costs: after a rebalance or a crash, up to this much of what was
 * handled comes again, which every handler takes (inboxes, idempotent projections).
 */
export const OFFSET_COMMIT_INTERVAL_MS = 1_000;

/** What a commit needs of a batch's payload: kafkajs's functions over the consumer's group. */
export type CommitsOffsets = Pick<EachBatchPayload, 'commitOffsetsIfNecessary' | 'uncommittedOffsets' | 'isRunning'>;

/**
 * A consumer's offset commits (it runs with `autoCommit: false`): what its batches handled is
 * committed at most an interval later, in one request for every partition, and at once where kafkajs
 * would lose it otherwise: when the consumer is stopping (it leaves its group right after its last
 * batch) and when a batch failed (kafkajs hands the rest again). A failed commit is logged and left
 * to the next one.
 */
export class OffsetCommits {
  private latest: CommitsOffsets | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly intervalMs = OFFSET_COMMIT_INTERVAL_MS,
  ) {}

  /** A batch was handled (its offsets resolved). */
  async handled(batch: CommitsOffsets): Promise<void> {
    if (!batch.isRunning()) return this.commit(batch);
    this.latest = batch;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.commitLatest();
    }, this.intervalMs).unref();
  }

  /** A batch failed: the offsets it did resolve (its handled prefix), before kafkajs fetches the rest again. */
  failed(batch: CommitsOffsets): Promise<void> {
    return this.commit(batch);
  }

  /** Commits what was handled now, e.g. before the consumer is closed. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.commitLatest();
  }

  private async commitLatest(): Promise<void> {
    const latest = this.latest;
    this.latest = undefined;
    if (latest) await this.commit(latest);
  }

  private async commit(batch: CommitsOffsets): Promise<void> {
    const offsets = batch.uncommittedOffsets();
    if (offsets.topics.length === 0) return;
    try {
      await batch.commitOffsetsIfNecessary(offsets);
    } catch (error) {
      this.logger.warn(
        `committing the consumer's offsets failed; the next commit takes them, or they are handled again after a rebalance: ${String(error)}`,
      );
    }
  }
}
