import { TopicServerKafka } from './topic-server-kafka';
import { MeasuringKafkaParser } from './measuring-kafka-parser';
import { InAnyOrder } from './partition-batch';

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
  type Listener = (event: { payload: { restart: boolean } }) => void;

  function fakeConsumer() {
    const listeners = new Map<string, Listener[]>();
    return {
      events: { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' },
      on: (name: string, listener: Listener) => listeners.set(name, [...(listeners.get(name) ?? []), listener]),
      emit: (name: string, restart: boolean) =>
        listeners.get(name)?.forEach((listener) => listener({ payload: { restart } })),
      connect: jest.fn(async () => undefined),
      subscribe: jest.fn(async () => undefined),
      run: jest.fn(async () => undefined),
    };
  }

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the consumer again after a crash kafkajs will not restart, backing off while it keeps crashing', async () => {
    const server = new TopicServerKafka({});
    const consumer = fakeConsumer();
    await server.bindEvents(consumer as never);
    expect(consumer.run).toHaveBeenCalledTimes(1);

    consumer.emit('consumer.crash', false);
    consumer.emit('consumer.crash', false); // one pending attempt at a time
    await jest.advanceTimersByTimeAsync(1_000);
    expect(consumer.connect).toHaveBeenCalledTimes(1);
    expect(consumer.run).toHaveBeenCalledTimes(2);

    consumer.emit('consumer.crash', false); // the attempt's join failed too: the next waits twice as long
    await jest.advanceTimersByTimeAsync(1_999);
    expect(consumer.run).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(consumer.run).toHaveBeenCalledTimes(3);
  });

  it('leaves a crash kafkajs restarts itself to kafkajs, and does nothing once closing', async () => {
    const server = new TopicServerKafka({});
    const consumer = fakeConsumer();
    await server.bindEvents(consumer as never);
    consumer.emit('consumer.crash', true);
    await server.close();
    consumer.emit('consumer.crash', false);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(consumer.run).toHaveBeenCalledTimes(1);
  });
});

describe('TopicServerKafka consumption', () => {
  function runOptionsOf(server: TopicServerKafka) {
    const consumer = {
      events: {},
      on: () => undefined,
      subscribe: jest.fn(async () => undefined),
      run: jest.fn(async (_options: Record<string, unknown>) => undefined),
    };
    return server.bindEvents(consumer as never).then(() => ({ consumer, options: consumer.run.mock.calls[0][0] }));
  }

  function batchOf(topic: string, offsets: string[]) {
    return {
      batch: { topic, partition: 0, messages: offsets.map((offset) => ({ offset })) },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      pause: () => () => undefined,
      isRunning: () => true,
      isStale: () => false,
    };
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

    const anyOrder = eachBatch(batchOf('order.created', ['1', '2']));
    const inOrder = eachBatch(batchOf('stock.reserved', ['1', '2']));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['order.created@1', 'order.created@2', 'stock.reserved@1']);
    finishAll();
    await Promise.all([anyOrder, inOrder]);
    expect(started).toContain('stock.reserved@2');
  });
});
