import { commitEndedBatches, EndedBatchOffsets } from './ended-batch-offsets';
import { OFFSET_COMMIT_INTERVAL_MS } from './offset-commits';

describe('EndedBatchOffsets', () => {
  const batchEnd = (topic: string, partition: number, lastOffset: string) => ({ topic, partition, lastOffset });

  it('commits, per partition, the offset after the last batch that ended, in one request', async () => {
    const consumer = { commitOffsets: jest.fn(async () => undefined) };
    const offsets = new EndedBatchOffsets(consumer);
    offsets.ended(batchEnd('orders.create.reply', 0, '4'));
    offsets.ended(batchEnd('orders.create.reply', 0, '9'));
    offsets.ended(batchEnd('orders.create.reply', 1, '2'));
    offsets.ended(batchEnd('products.get.reply', 0, '99999999999999'));

    await offsets.commitOffsetsIfNecessary(offsets.uncommittedOffsets());

    expect(consumer.commitOffsets).toHaveBeenCalledTimes(1);
    expect(consumer.commitOffsets).toHaveBeenCalledWith([
      { topic: 'orders.create.reply', partition: 0, offset: '10' },
      { topic: 'orders.create.reply', partition: 1, offset: '3' },
      { topic: 'products.get.reply', partition: 0, offset: '100000000000000' },
    ]);
  });

  it('hands each ended batch over once, so an interval with no replies commits nothing', () => {
    const offsets = new EndedBatchOffsets({ commitOffsets: jest.fn() });
    offsets.ended(batchEnd('orders.create.reply', 0, '4'));
    expect(offsets.uncommittedOffsets().topics).toHaveLength(1);
    expect(offsets.uncommittedOffsets().topics).toEqual([]);
  });

  describe('commitEndedBatches', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** A consumer that reports batch ends as kafkajs does, and records its commits. */
    function fakeConsumer() {
      const listeners: ((event: { payload: { topic: string; partition: number; lastOffset: string } }) => void)[] = [];
      return {
        events: { END_BATCH_PROCESS: 'consumer.end_batch_process' },
        on: jest.fn((_event: string, listener: (typeof listeners)[number]) => listeners.push(listener)),
        commitOffsets: jest.fn(async () => undefined),
        endBatch: (lastOffset: string) =>
          listeners.forEach((listener) => listener({ payload: batchEnd('orders.create.reply', 0, lastOffset) })),
      };
    }

    it('commits the batches of an interval in one request, an interval after the first, and the rest when flushed', async () => {
      const consumer = fakeConsumer();
      const commits = commitEndedBatches(consumer as never, { warn: jest.fn() });
      for (const lastOffset of ['1', '2', '3']) consumer.endBatch(lastOffset);
      await jest.advanceTimersByTimeAsync(OFFSET_COMMIT_INTERVAL_MS - 1);
      expect(consumer.commitOffsets).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      consumer.endBatch('4');
      await commits.flush();

      expect(consumer.commitOffsets.mock.calls).toEqual([
        [[{ topic: 'orders.create.reply', partition: 0, offset: '4' }]],
        [[{ topic: 'orders.create.reply', partition: 0, offset: '5' }]],
      ]);
    });

    it('logs a failed commit and leaves the offsets to the next batch', async () => {
      const consumer = fakeConsumer();
      const logger = { warn: jest.fn() };
      consumer.commitOffsets.mockRejectedValueOnce(new Error('The group is rebalancing'));
      const commits = commitEndedBatches(consumer as never, logger);
      consumer.endBatch('1');
      await commits.flush();
      consumer.endBatch('2');
      await commits.flush();

      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('The group is rebalancing'));
      expect(consumer.commitOffsets).toHaveBeenLastCalledWith([
        { topic: 'orders.create.reply', partition: 0, offset: '3' },
      ]);
    });
  });
});
