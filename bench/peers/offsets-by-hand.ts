import { OFFSET_COMMIT_INTERVAL_MS } from '@orderflow/messaging';
import type { Consumer } from 'kafkajs';

/**
 * The apps' offset commits (OffsetCommits: once an interval, not after every batch) written by hand for
 * a raw peer that runs with `autoCommit: false`, so that both sides of a comparison send as many commits.
 */
export function offsetsByHand(consumer: Consumer): { handled(topic: string, partition: number, offset: string): void } {
  const pending = new Map<string, { topic: string; partition: number; offset: string }>();
  setInterval(() => {
    if (pending.size === 0) return;
    const offsets = [...pending.values()];
    pending.clear();
    consumer.commitOffsets(offsets).catch(() => undefined);
  }, OFFSET_COMMIT_INTERVAL_MS).unref();
  return {
    handled: (topic, partition, offset) =>
      pending.set(`${topic}/${partition}`, { topic, partition, offset: String(BigInt(offset) + 1n) }),
  };
}
