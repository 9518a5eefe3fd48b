import type { EachMessagePayload, KafkaMessage } from 'kafkajs';
import { fakeBatch } from '../testing/fake-consumer';
import {
  handleBatchAsOne,
  handleBatchInAnyOrder,
  handleBatchInOrder,
  handlesInAnyOrder,
  handlesInBatches,
  InAnyOrder,
  InBatches,
} from './partition-batch';

/** Finishes the handling of a message when asked, so a test decides the order in which handlers end. */
function controlledHandler() {
  const started: string[] = [];
  const finishers = new Map<string, { finish: () => void; fail: (error: Error) => void }>();
  const handle = (message: EachMessagePayload) =>
    new Promise<void>((finish, fail) => {
      started.push(message.message.offset);
      finishers.set(message.message.offset, { finish, fail });
    });
  return { handle, started, finishers };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('handleBatchInOrder', () => {
  it('hands each message over only once the one before it is handled, resolving its offset then', async () => {
    const { payload, resolved } = fakeBatch('order.created', ['10', '11', '12']);
    const handler = controlledHandler();
    const done = handleBatchInOrder(payload, handler.handle);

    await settle();
    expect(handler.started).toEqual(['10']);
    handler.finishers.get('10')!.finish();
    await settle();
    expect(handler.started).toEqual(['10', '11']);
    expect(resolved).toEqual(['10']);
    handler.finishers.get('11')!.finish();
    await settle();
    handler.finishers.get('12')!.finish();
    await done;
    expect(resolved).toEqual(['10', '11', '12']);
  });

  it('gives Nest the partition, the topic and the heartbeat of the batch', async () => {
    const { payload } = fakeBatch('order.created', ['3']);
    const seen: EachMessagePayload[] = [];
    await handleBatchInOrder(payload, async (message) => void seen.push(message));
    expect(seen[0]).toMatchObject({ topic: 'order.created', partition: 2, message: { offset: '3' } });
    await seen[0].heartbeat();
    expect(payload.heartbeat).toHaveBeenCalled();
  });

  it('stops at a stopping consumer, leaving the rest unresolved for the next member', async () => {
    const running = { value: true };
    const { payload, resolved } = fakeBatch('order.created', ['1', '2', '3'], running);
    await handleBatchInOrder(payload, async (message) => {
      if (message.message.offset === '1') running.value = false;
    });
    expect(resolved).toEqual(['1']);
  });

  it('fails with the failing message, its offset and the ones after it unresolved', async () => {
    const { payload, resolved } = fakeBatch('order.created', ['1', '2', '3']);
    const failure = new Error('database gone');
    await expect(
      handleBatchInOrder(payload, async (message) => {
        if (message.message.offset === '2') throw failure;
      }),
    ).rejects.toBe(failure);
    expect(resolved).toEqual(['1']);
  });
});

describe('handleBatchInAnyOrder', () => {
  it('hands every message over at once and resolves the batch once all are handled', async () => {
    const { payload, resolved } = fakeBatch('order.created', ['5', '6', '7']);
    const handler = controlledHandler();
    const done = handleBatchInAnyOrder(payload, handler.handle);

    await settle();
    expect(handler.started).toEqual(['5', '6', '7']);
    handler.finishers.get('7')!.finish();
    handler.finishers.get('5')!.finish();
    await settle();
    expect(resolved).toEqual([]);
    handler.finishers.get('6')!.finish();
    await done;
    expect(resolved).toEqual(['5', '6', '7']);
  });

  it('resolves up to the first failed message and rethrows its failure, so it and the rest come again', async () => {
    const { payload, resolved } = fakeBatch('order.created', ['5', '6', '7']);
    const failure = new Error('dead-letter publish failed');
    await expect(
      handleBatchInAnyOrder(payload, async (message) => {
        if (message.message.offset === '6') throw failure;
      }),
    ).rejects.toBe(failure);
    expect(resolved).toEqual(['5']);
  });
});

describe('handleBatchAsOne', () => {
  const offsetsOf = (messages: KafkaMessage[]) => messages.map((message) => message.offset);
  const prepareNothing = (messages: KafkaMessage[]) => messages;

  it('hands the whole batch over in one call and resolves it once that call is done', async () => {
    const { payload, resolved } = fakeBatch('order.created', ['5', '6', '7']);
    const calls: string[][] = [];
    await handleBatchAsOne(payload, prepareNothing, async (messages) => void calls.push(offsetsOf(messages)));
    expect(calls).toEqual([['5', '6', '7']]);
    expect(resolved).toEqual(['7']);
    expect(payload.heartbeat).toHaveBeenCalled();
  });

  it('prepares the messages once, and hands the prepared ones over', async () => {
    const { payload } = fakeBatch('order.created', ['5', '6']);
    const prepare = jest.fn((messages: KafkaMessage[]) => messages.map((message) => ({ prepared: message.offset })));
    const calls: unknown[][] = [];
    await handleBatchAsOne(payload, prepare, async (prepared) => {
      calls.push(prepared);
      if (prepared.length > 1) throw new Error('split');
    });
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([[{ prepared: '5' }, { prepared: '6' }], [{ prepared: '5' }], [{ prepared: '6' }]]);
  });

  it('after a failed call, hands the messages over again one per call, in order, resolving each', async () => {
    const { payload, resolved } = fakeBatch('order.created', ['5', '6', '7']);
    const calls: string[][] = [];
    await handleBatchAsOne(payload, prepareNothing, async (messages) => {
      calls.push(offsetsOf(messages));
      if (messages.length > 1) throw new Error('offset 6 is invalid');
    });
    expect(calls).toEqual([['5', '6', '7'], ['5'], ['6'], ['7']]);
    expect(resolved).toEqual(['5', '6', '7']);
  });

  it('rethrows a message that fails on its own, with only the messages before it resolved', async () => {
    const { payload, resolved } = fakeBatch('order.created', ['5', '6', '7']);
    const failure = new Error('dead-letter publish failed');
    await expect(
      handleBatchAsOne(payload, prepareNothing, async (messages) => {
        if (offsetsOf(messages).includes('6')) throw failure;
      }),
    ).rejects.toBe(failure);
    expect(resolved).toEqual(['5']);
  });

  it('hands nothing over to a stopping consumer', async () => {
    const { payload, resolved } = fakeBatch('order.created', ['5', '6'], { value: false });
    const handle = jest.fn(async () => undefined);
    await handleBatchAsOne(payload, prepareNothing, handle);
    expect(handle).not.toHaveBeenCalled();
    expect(resolved).toEqual([]);
  });
});

describe('InBatches', () => {
  it('is what marks a handler as taking a batch per call', () => {
    expect(handlesInBatches(InBatches)).toBe(true);
    expect(handlesInBatches(InAnyOrder)).toBe(false);
    expect(handlesInBatches(undefined)).toBe(false);
  });
});

describe('InAnyOrder', () => {
  it('is what marks a handler as order-free; plain handlers keep the order', () => {
    expect(handlesInAnyOrder(InAnyOrder)).toBe(true);
    expect(handlesInAnyOrder({})).toBe(false);
    expect(handlesInAnyOrder(undefined)).toBe(false);
  });
});
