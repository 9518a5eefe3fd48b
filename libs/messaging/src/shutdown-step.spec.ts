import { awaitShutdownStep } from './shutdown-step';

describe('awaitShutdownStep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const never = () => new Promise(() => undefined);

  it('gives a first step (the consumer) half of SHUTDOWN_TIMEOUT_MS and a later step a fifth, then says so and goes on', async () => {
    const logger = { warn: jest.fn() };
    const settings = { shutdownTimeoutMs: 10_000 };
    const consumer = awaitShutdownStep(never(), {
      settings,
      share: 'first-step',
      logger,
      overrun: 'the consumer did not stop',
      then: 'going on',
    });
    await jest.advanceTimersByTimeAsync(4_999);
    expect(logger.warn).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await consumer;
    expect(logger.warn).toHaveBeenCalledWith('the consumer did not stop within 5000 ms: going on');

    const flush = awaitShutdownStep(never(), {
      settings,
      share: 'later-step',
      logger,
      overrun: 'the final outbox flush did not finish',
      then: 'the rest stays in the outbox',
    });
    await jest.advanceTimersByTimeAsync(2_000);
    await flush;
    expect(logger.warn).toHaveBeenLastCalledWith(
      'the final outbox flush did not finish within 2000 ms: the rest stays in the outbox',
    );
  });

  it('says nothing about a step that ends in time', async () => {
    const logger = { warn: jest.fn() };
    await awaitShutdownStep(Promise.resolve(), {
      settings: { shutdownTimeoutMs: 10_000 },
      share: 'later-step',
      logger,
      overrun: 'x',
      then: 'y',
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
