import { fakeConsumer } from '../testing/fake-consumer';
import { CrashedConsumerRestart } from './crashed-consumer-restart';

describe('CrashedConsumerRestart', () => {
  const logger = { warn: jest.fn() };
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports the consumer down from a crash kafkajs will not restart until it joins again', async () => {
    const consumer = fakeConsumer();
    const restart = new CrashedConsumerRestart(consumer.asConsumer(), async () => undefined, logger);
    expect(restart.consumerIsDown).toBe(false);
    consumer.emit('consumer.crash', true); // kafkajs restarts this one itself
    expect(restart.consumerIsDown).toBe(false);
    consumer.emit('consumer.crash');
    expect(restart.consumerIsDown).toBe(true);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(restart.consumerIsDown).toBe(true); // running again is not joined yet
    consumer.emit('consumer.group_join');
    expect(restart.consumerIsDown).toBe(false);
    restart.stop();
  });

  it('after a failed attempt waits twice as long, and starts over from 1 s once the consumer has joined', async () => {
    const consumer = fakeConsumer();
    const runAgain = jest.fn(async () => undefined);
    new CrashedConsumerRestart(consumer.asConsumer(), runAgain, logger);
    consumer.connect.mockRejectedValueOnce(new Error('broker unreachable'));

    consumer.emit('consumer.crash');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(consumer.connect).toHaveBeenCalledTimes(1);
    expect(runAgain).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1_999);
    expect(runAgain).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(runAgain).toHaveBeenCalledTimes(1);

    consumer.emit('consumer.group_join');
    consumer.emit('consumer.crash');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runAgain).toHaveBeenCalledTimes(2);
  });
});
