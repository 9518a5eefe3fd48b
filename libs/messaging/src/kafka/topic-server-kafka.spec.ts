import { TopicServerKafka } from './topic-server-kafka';
import { fakeBatch, fakeConsumer } from '../testing/fake-consumer';
import { MeasuringKafkaParser } from './measuring-kafka-parser';
import { InAnyOrder, InBatches } from './partition-batch';
import { KafkaBatchContext } from './kafka-batch-context';

describe('TopicServerKafka', () => {
  const server = new TopicServerKafka({});

  it('routes a plain topic name without parsing it as JSON', () => {
    const parse = jest.spyOn(JSON, 'parse');
    expect(server.getRouteFromPattern('order.created')).toBe('order.created');
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
  });

  it('still normalizes a JSON pattern as Nest does', () => {
    expect(server.getRouteFromPattern('{"cmd":"sum"}')).toBe('{"cmd":"sum"}');
  });
});

describe('TopicServerKafka parser', () => {
  class Inspectable extends TopicServerKafka {
    get messageParser(): unknown {
      return this.parser;
    }
  }

  it('decodes with the measuring parser, so the size check reads the size on the wire', () => {
    expect(new Inspectable({}).messageParser).toBeInstanceOf(MeasuringKafkaParser);
  });
});

describe('TopicServerKafka after a consumer crash', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('subscribes and runs the consumer again after a crash kafkajs will not restart (CrashedConsumerRestart)', async () => {
    const server = new TopicServerKafka({});
    const consumer = fakeConsumer();
    await server.bindEvents(consumer.asConsumer());
    expect(consumer.run).toHaveBeenCalledTimes(1);

    consumer.emit('consumer.crash', false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(consumer.connect).toHaveBeenCalledTimes(1);
    expect(consumer.subscribe).toHaveBeenCalledTimes(0); // no handlers, no topics
    expect(consumer.run).toHaveBeenCalledTimes(2);
  });

  it('leaves a crash kafkajs restarts itself to kafkajs, and does nothing once closing', async () => {
    const server = new TopicServerKafka({});
    const consumer = fakeConsumer();
    await server.bindEvents(consumer.asConsumer());
    consumer.emit('consumer.crash', true);
    await server.close();
    consumer.emit('consumer.crash', false);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(consumer.run).toHaveBeenCalledTimes(1);
  });
});

describe('TopicServerKafka consumption', () => {
  async function runOptionsOf(server: TopicServerKafka) {
    const consumer = fakeConsumer();
    await server.bindEvents(consumer.asConsumer());
    return { consumer, options: consumer.run.mock.calls[0][0] };
  }

  it('subscribes to every handled topic and consumes batch by batch, resolving offsets itself', async () => {
    const server = new TopicServerKafka({ run: { partitionsConsumedConcurrently: 4 } });
    server.addHandler('order.created', async () => undefined, true);
    const { consumer, options } = await runOptionsOf(server);
    expect(consumer.subscribe).toHaveBeenCalledWith({ topics: ['order.created'] });
    expect(options).toMatchObject({ partitionsConsumedConcurrently: 4, eachBatchAutoResolve: false });
    expect(options.eachBatch).toBeInstanceOf(Function);
    expect(options.eachMessage).toBeUndefined();
  });

  it("subscribes only to the events or only to the requests of the app's handlers when told (the read side's two servers)", async () => {
    const withHandlers = (takes: 'events' | 'requests') => {
      const server = new TopicServerKafka({}, takes);
      server.addHandler('order.created', async () => undefined, true);
      server.addHandler('search.orders', async () => undefined, false);
      return server;
    };
    expect((await runOptionsOf(withHandlers('events'))).consumer.subscribe).toHaveBeenCalledWith({
      topics: ['order.created'],
    });
    expect((await runOptionsOf(withHandlers('requests'))).consumer.subscribe).toHaveBeenCalledWith({
      topics: ['search.orders'],
    });
  });

  it('hands an InAnyOrder handler the whole batch at once, any other handler one message at a time', async () => {
    const server = new TopicServerKafka({});
    server.addHandler('order.created', async () => undefined, true, InAnyOrder);
    server.addHandler('stock.reserved', async () => undefined, true);
    const started: string[] = [];
    let finishAll: () => void = () => undefined;
    const allMayFinish = new Promise<void>((resolve) => (finishAll = resolve));
    jest.spyOn(server, 'handleMessage').mockImplementation(async (payload) => {
      started.push(`${payload.topic}@${payload.message.offset}`);
      await allMayFinish;
    });
    const { options } = await runOptionsOf(server);
    const eachBatch = options.eachBatch as (payload: unknown) => Promise<void>;

    const anyOrder = eachBatch(fakeBatch('order.created', ['1', '2']).payload);
    const inOrder = eachBatch(fakeBatch('stock.reserved', ['1', '2']).payload);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['order.created@1', 'order.created@2', 'stock.reserved@1']);
    finishAll();
    await Promise.all([anyOrder, inOrder]);
    expect(started).toContain('stock.reserved@2');
  });
});

describe('TopicServerKafka offset commits', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function consuming(handle: (offset: string) => Promise<void>) {
    const server = new TopicServerKafka({});
    server.addHandler('order.created', async () => undefined, true);
    jest.spyOn(server, 'handleMessage').mockImplementation((payload) => handle(payload.message.offset));
    const consumer = fakeConsumer();
    await server.bindEvents(consumer.asConsumer());
    const options = consumer.run.mock.calls[0][0];
    return { server, options, eachBatch: options.eachBatch as (payload: unknown) => Promise<void> };
  }

  it('runs kafkajs without its commit after every batch, and commits what was handled within a second', async () => {
    const { options, eachBatch } = await consuming(async () => undefined);
    expect(options).toMatchObject({ autoCommit: false });
    const { payload, committed } = fakeBatch('order.created', ['1', '2']);
    await eachBatch(payload);
    expect(committed).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(committed).toEqual(['2']);
  });

  it('commits the handled prefix of a failed batch at once, then fails into kafkajs', async () => {
    const { eachBatch } = await consuming(async (offset) => {
      if (offset === '2') throw new Error('the database is down');
    });
    const { payload, committed } = fakeBatch('order.created', ['1', '2', '3']);
    await expect(eachBatch(payload)).rejects.toThrow('the database is down');
    expect(committed).toEqual(['1']);
  });

  it('commits what was handled before the consumer is closed', async () => {
    const { server, eachBatch } = await consuming(async () => undefined);
    const { payload, committed } = fakeBatch('order.created', ['7']);
    await eachBatch(payload);
    const disconnect = jest.fn(async () => void expect(committed).toEqual(['7']));
    Object.assign(server, { consumer: { disconnect } });
    await server.close();
    expect(disconnect).toHaveBeenCalledTimes(1);
  });
});

describe('TopicServerKafka with an InBatches handler', () => {
  function batchOfEvents(offsets: string[]) {
    const batch = fakeBatch('order.created', offsets);
    for (const message of batch.payload.batch.messages) {
      Object.assign(message, { value: Buffer.from(JSON.stringify({ n: Number(message.offset) })), headers: {} });
    }
    return batch;
  }

  async function serverWith(handler: (values: unknown[], context: KafkaBatchContext) => Promise<void>) {
    const server = new TopicServerKafka({});
    server.addHandler('order.created', handler as never, true, InBatches);
    const consumer = fakeConsumer();
    await server.bindEvents(consumer.asConsumer());
    return consumer.run.mock.calls[0][0].eachBatch as (payload: unknown) => Promise<void>;
  }

  it('hands the decoded values of a fetched batch over in one call, with every message in its context', async () => {
    const calls: { values: unknown[]; offsets: string[] }[] = [];
    const eachBatch = await serverWith(async (values, context) => {
      calls.push({ values, offsets: context.getMessages().map((message) => message.offset) });
    });
    const { payload, resolved } = batchOfEvents(['4', '5', '6']);
    await eachBatch(payload);
    expect(calls).toEqual([{ values: [{ n: 4 }, { n: 5 }, { n: 6 }], offsets: ['4', '5', '6'] }]);
    expect(resolved).toEqual(['6']);
  });

  it('after a failed call, hands each message over alone, as the same parsed message', async () => {
    const seen: { offsets: string[]; messages: object[] }[] = [];
    const eachBatch = await serverWith(async (values, context) => {
      seen.push({ offsets: context.getMessages().map((m) => m.offset), messages: [...context.getMessages()] });
      if (values.length > 1) throw new Error('one of them is invalid');
    });
    const { payload, resolved } = batchOfEvents(['4', '5']);
    await eachBatch(payload);
    expect(seen.map((call) => call.offsets)).toEqual([['4', '5'], ['4'], ['5']]);
    expect(seen[1].messages[0]).toBe(seen[0].messages[0]);
    expect(seen[2].messages[0]).toBe(seen[0].messages[1]);
    expect(resolved).toEqual(['4', '5']);
  });
});

describe('TopicServerKafka with InBatches on a request handler', () => {
  it('refuses to start: a batch call would leave every caller without a reply', async () => {
    const server = new TopicServerKafka({});
    server.addHandler('orders.create', async () => undefined, false, InBatches);
    const consumer = fakeConsumer();

    await expect(server.bindEvents(consumer.asConsumer())).rejects.toThrow(
      'InBatches is for @EventPattern handlers only; orders.create is a @MessagePattern',
    );
    expect(consumer.run).not.toHaveBeenCalled();
  });
});

describe('TopicServerKafka close', () => {
  it('closes once: a second close does not wait for a first one stuck on an unreachable broker', async () => {
    const server = new TopicServerKafka({});
    const consumer = fakeConsumer();
    await server.bindEvents(consumer.asConsumer());
    let disconnected: () => void = () => undefined;
    const disconnect = jest.fn(() => new Promise<void>((resolve) => (disconnected = resolve)));
    Object.assign(server, { consumer: { disconnect } });

    const first = server.close();
    await expect(server.close()).resolves.toBeUndefined();
    expect(disconnect).toHaveBeenCalledTimes(1);
    disconnected();
    await first;
  });
});
