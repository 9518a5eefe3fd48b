import { OffsetCommits } from './offset-commits';

/** A consumer group's offsets as kafkajs keeps them: resolved by batches, committed by requests. */
function fakeGroup() {
  const state = { resolved: 0, committed: 0, running: true, commitRequests: 0, failNextCommit: false };
  const batch = {
    isRunning: () => state.running,
    uncommittedOffsets: () => ({
      topics: state.resolved > state.committed ? [{ topic: 'order.created', partitions: [] }] : [],
    }),
    commitOffsetsIfNecessary: jest.fn(async () => {
      state.commitRequests += 1;
      if (state.failNextCommit) {
        state.failNextCommit = false;
        throw new Error('The group is rebalancing');
      }
      state.committed = state.resolved;
    }),
  };
  const handle = (offset: number) => (state.resolved = offset);
  return { state, batch, handle };
}

describe('OffsetCommits', () => {
  const logger = { warn: jest.fn() };
  /** A group and its commits at a one-second interval. */
  const committing = () => ({ ...fakeGroup(), commits: new OffsetCommits(logger, 1_000) });
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('commits the batches of an interval in one request, an interval after the first', async () => {
    const { state, batch, handle, commits } = committing();
    for (const offset of [1, 2, 3]) {
      handle(offset);
      await commits.handled(batch);
      await jest.advanceTimersByTimeAsync(300);
    }
    expect(state.commitRequests).toBe(0);
    await jest.advanceTimersByTimeAsync(100);
    expect(state).toMatchObject({ commitRequests: 1, committed: 3 });
  });

  it('commits a quiet consumer’s last batch too, and sends nothing when nothing moved', async () => {
    const { state, batch, handle, commits } = committing();
    handle(7);
    await commits.handled(batch);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(state).toMatchObject({ commitRequests: 1, committed: 7 });
    await commits.handled(batch);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(state.commitRequests).toBe(1);
  });

  it('commits at once a batch that ends while the consumer stops: it leaves its group next', async () => {
    const { state, batch, handle, commits } = committing();
    handle(4);
    state.running = false;
    await commits.handled(batch);
    expect(state).toMatchObject({ commitRequests: 1, committed: 4 });
  });

  it('commits at once the handled prefix of a failed batch, before kafkajs fetches the rest again', async () => {
    const { state, batch, handle, commits } = committing();
    handle(5);
    await commits.failed(batch);
    expect(state).toMatchObject({ commitRequests: 1, committed: 5 });
  });

  it('commits what is pending when flushed, and not again at the interval', async () => {
    const { state, batch, handle, commits } = committing();
    handle(2);
    await commits.handled(batch);
    await commits.flush();
    expect(state).toMatchObject({ commitRequests: 1, committed: 2 });
    await jest.advanceTimersByTimeAsync(2_000);
    expect(state.commitRequests).toBe(1);
  });

  it('logs a failed commit and leaves the offsets to the next one', async () => {
    const { state, batch, handle, commits } = committing();
    handle(3);
    state.failNextCommit = true;
    await commits.handled(batch);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('The group is rebalancing'));
    expect(state.committed).toBe(0);
    handle(4);
    await commits.handled(batch);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(state).toMatchObject({ commitRequests: 2, committed: 4 });
  });
});
