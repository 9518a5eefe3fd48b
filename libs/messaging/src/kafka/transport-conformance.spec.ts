import {
  KafkaContext,
  KafkaHeaders,
  KafkaRetriableException,
  MessageHandler,
  ServerKafka,
} from '@nestjs/microservices';
import type { Consumer, KafkaMessage, Producer } from 'kafkajs';
import { createRequire } from 'node:module';
import { of } from 'rxjs';
import { fakeConsumer } from '../testing/fake-consumer';
import { messagesOf } from './kafka-batch-context';
import { InAnyOrder, InBatches } from './partition-batch';
import { TopicServerKafka } from './topic-server-kafka';

/*
 * Orderflow's TopicServerKafka against Nest's own ServerKafka, on the same recorded messages. Each
 * server binds to a fake consumer as it would to kafkajs's, and what it asks kafkajs to run with (Nest:
 * `eachMessage`; ours: `eachBatch`) is driven by kafkajs's own Runner (its batch, offset, commit and
 * heartbeat rules, 2.2.4) over a recording consumer group. Compared: what handlers receive (payload,
 * context topic/partition/offset/key/headers), what is replied (topic, partition, headers, value), the
 * offsets resolved and committed, the processing hooks and what fails into kafkajs. Where the fork
 * differs on purpose, the test names the difference and asserts the intended one; any other drift
 * (an upgrade, a change of ours) fails here.
 */

const kafkajsInternals = createRequire(require.resolve('kafkajs'));
const Runner = kafkajsInternals('./src/consumer/runner') as new (options: object) => KafkajsRunner;
const Batch = kafkajsInternals('./src/consumer/batch') as new (
  topic: string,
  fetchedOffset: string,
  partitionData: { partition: number; highWatermark: string; messages: KafkaMessage[] },
) => object;

interface KafkajsRunner {
  running: boolean;
  handleBatch(batch: object): Promise<void>;
}

type ServerKind = 'nest' | 'orderflow';

/** What one server did with the scenario's batches, as kafkajs and the handlers saw it. */
interface Recording {
  received: Received[];
  replies: Reply[];
  resolved: string[];
  committed: string[];
  /** kafkajs's rejections: the batch comes again from the first unresolved offset. */
  failures: string[];
  hooks: string[];
  heartbeats: number;
  commitChecks: number;
  /** The most handler calls at once. */
  concurrency: number;
}

interface Received {
  handler: string;
  data: unknown;
  context: string;
  topic: string;
  partition: number;
  offsets: string[];
  messages: unknown[];
  consumerAndProducer: boolean;
}

interface Reply {
  topic: string;
  partition: number | undefined;
  key: unknown;
  value: unknown;
  headers: Record<string, string>;
}

type Handle = (data: unknown, context: KafkaContext) => unknown;

interface HandlerSpec {
  topic: string;
  name: string;
  isEvent: boolean;
  extras?: Record<string, unknown>;
  handle: Handle;
}

interface Scenario {
  handlers: HandlerSpec[];
  /** Fetched batches, in the order kafkajs hands them over; made anew for each server (Nest mutates them). */
  batches: () => { topic: string; partition: number; messages: KafkaMessage[] }[];
}

async function run(kind: ServerKind, scenario: Scenario): Promise<Recording> {
  const recording: Recording = {
    received: [],
    replies: [],
    resolved: [],
    committed: [],
    failures: [],
    hooks: [],
    heartbeats: 0,
    commitChecks: 0,
    concurrency: 0,
  };
  const server = kind === 'nest' ? new ServerKafka({}) : new TopicServerKafka({});
  const consumer = fakeConsumer();
  const producer = {
    send: jest.fn(async (record: { topic: string; messages: ReplyMessage[] }) => {
      for (const message of record.messages) recording.replies.push(reply(record.topic, message));
      return [];
    }),
  };
  Object.assign(server, { consumer: consumer.asConsumer(), producer: producer as unknown as Producer });
  server.setOnProcessingStartHook((_transport, context, done) => {
    recording.hooks.push(`start ${offsetsOf(context as KafkaContext)}`);
    return done();
  });
  server.setOnProcessingEndHook((_transport, context) =>
    recording.hooks.push(`end ${offsetsOf(context as KafkaContext)}`),
  );

  let inFlight = 0;
  for (const spec of scenario.handlers) {
    const handler = (async (data: unknown, context: KafkaContext) => {
      inFlight += 1;
      recording.concurrency = Math.max(recording.concurrency, inFlight);
      recording.received.push(received(spec.name, data, context, consumer.asConsumer(), producer));
      try {
        return await spec.handle(data, context);
      } finally {
        inFlight -= 1;
      }
    }) as unknown as MessageHandler;
    server.addHandler(spec.topic, handler, spec.isEvent, spec.extras);
  }

  await server.bindEvents(consumer.asConsumer());
  // What the server asked kafkajs to run with: Nest's eachMessage, or our eachBatch and eachBatchAutoResolve.
  const runner = kafkajsRunner(consumer.run.mock.calls[0][0], recording);
  runner.running = true;
  currentRunner = runner;
  for (const { topic, partition, messages } of scenario.batches()) {
    const batch = new Batch(topic, messages[0].offset, { partition, highWatermark: '1000', messages });
    await runner.handleBatch(batch).catch((error: unknown) => recording.failures.push(String(error)));
    // Replies go out on the next tick, after the handler's first value (Nest's `send`).
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Ours commits on an interval (OffsetCommits): what is due by then, as at a stop.
  if (server instanceof TopicServerKafka) await server.commitHandledOffsets();
  return recording;
}

/** The runner of the scenario running now, for a handler that stops the consumer. */
let currentRunner: KafkajsRunner | undefined;

/** kafkajs's Runner over a consumer group that records what kafkajs asks of it. */
function kafkajsRunner(options: object, recording: Recording): KafkajsRunner {
  const resolved = new Map<string, string>();
  const committed = new Map<string, string>();
  const next = (offset: string) => String(BigInt(offset) + 1n);
  const consumerGroup = {
    resolveOffset: ({ topic, partition, offset }: { topic: string; partition: number; offset: string }) => {
      recording.resolved.push(offset);
      resolved.set(`${topic}/${partition}`, offset);
    },
    // What kafkajs commits: the offset after the last resolved one, for every partition that moved.
    commitOffsets: async () => {
      for (const [topicPartition, offset] of resolved) {
        if (committed.get(topicPartition) === next(offset)) continue;
        committed.set(topicPartition, next(offset));
        recording.committed.push(`${topicPartition}@${next(offset)}`);
      }
    },
    // Without autoCommitInterval or autoCommitThreshold (ours and Nest's default) this commits nothing.
    commitOffsetsIfNecessary: async () => void (recording.commitChecks += 1),
    heartbeat: async () => void (recording.heartbeats += 1),
    hasSeekOffset: () => false,
    isPaused: () => false,
    pause: () => undefined,
    resume: () => undefined,
    uncommittedOffsets: () => {
      const moved = [...resolved].filter(([topicPartition, offset]) => committed.get(topicPartition) !== next(offset));
      return { topics: moved.map(([topicPartition]) => ({ topic: topicPartition, partitions: [] })) };
    },
  };
  const logger = {
    namespace: () => logger,
    error: () => undefined,
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
  };
  return new Runner({
    ...options,
    logger,
    consumerGroup,
    instrumentationEmitter: { emit: () => undefined },
    concurrency: 1,
    heartbeatInterval: 1_000,
    onCrash: () => undefined,
  });
}

interface ReplyMessage {
  key?: unknown;
  value: unknown;
  partition?: number;
  headers: Record<string, Buffer | string>;
}

function reply(topic: string, message: ReplyMessage): Reply {
  const headers = Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, String(value)]));
  return { topic, partition: message.partition, key: message.key, value: message.value, headers };
}

function received(name: string, data: unknown, context: KafkaContext, consumer: Consumer, producer: object): Received {
  return {
    handler: name,
    data,
    context: context.constructor.name,
    topic: context.getTopic(),
    partition: context.getPartition(),
    offsets: messagesOf(context).map((message) => message.offset),
    messages: [...messagesOf(context)],
    consumerAndProducer: context.getConsumer() === consumer && context.getProducer() === producer,
  };
}

function offsetsOf(context: KafkaContext): string {
  return messagesOf(context)
    .map((message) => message.offset)
    .join(',');
}

async function both(scenario: Scenario): Promise<Record<ServerKind, Recording>> {
  return { nest: await run('nest', scenario), orderflow: await run('orderflow', scenario) };
}

/** A message as kafkajs 2.2.4 decodes it from a record batch (v2). */
function message(
  offset: string,
  fields: { key?: string | null; value: Buffer | string | null; headers?: Record<string, string> },
): KafkaMessage {
  return {
    magicByte: 2,
    attributes: 0,
    timestamp: '1767225600000',
    offset,
    key: fields.key === undefined || fields.key === null ? null : Buffer.from(fields.key),
    value: typeof fields.value === 'string' ? Buffer.from(fields.value) : fields.value,
    headers: Object.fromEntries(
      Object.entries(fields.headers ?? {}).map(([name, value]) => [name, Buffer.from(value)]),
    ),
    isControlRecord: false,
    batchContext: { firstOffset: offset, partitionLeaderEpoch: 0, inTransaction: false, isControlBatch: false },
  } as unknown as KafkaMessage;
}

function request(offset: string, value: object, correlationId: string, replyPartition = '3'): KafkaMessage {
  return message(offset, {
    key: 'order-1',
    value: JSON.stringify(value),
    headers: {
      [KafkaHeaders.CORRELATION_ID]: correlationId,
      [KafkaHeaders.REPLY_TOPIC]: 'orders.create.reply',
      [KafkaHeaders.REPLY_PARTITION]: replyPartition,
      'x-schema-version': '1',
    },
  });
}

const noop: Handle = async () => undefined;
const yieldOnce = () => new Promise((resolve) => setImmediate(resolve));

/** Fields where the fork is meant to agree with Nest in every scenario. */
function expectSameDelivery(recordings: Record<ServerKind, Recording>): void {
  expect(recordings.orderflow.received).toEqual(recordings.nest.received);
  expect(recordings.orderflow.replies).toEqual(recordings.nest.replies);
  expect(recordings.orderflow.resolved).toEqual(recordings.nest.resolved);
  expect(recordings.orderflow.committed).toEqual(recordings.nest.committed);
  expect(recordings.orderflow.failures).toEqual(recordings.nest.failures);
  expect(recordings.orderflow.hooks).toEqual(recordings.nest.hooks);
}

describe('TopicServerKafka conforms to Nest’s ServerKafka', () => {
  describe('on events, one partition batch handled in order', () => {
    const scenario: Scenario = {
      handlers: [{ topic: 'order.created', name: 'created', isEvent: true, handle: noop }],
      batches: () => [
        {
          topic: 'order.created',
          partition: 0,
          messages: [
            message('10', {
              key: 'order-1',
              value: '{"orderId":"order-1","total":12.5}',
              headers: { 'x-schema-version': '2' },
            }),
            message('11', { key: 'order-2', value: '[1,2]' }),
            message('12', { key: null, value: '{"orderId": "order-3",' }), // invalid JSON
            message('13', { key: 'order-4', value: null }), // a tombstone
            message('14', { key: 'order-5', value: Buffer.from([0, 0, 0, 0, 7, 2]) }), // schema-registry framing
            message('15', { key: 'order-6', value: 'plain text' }),
            message('16', { key: 'order-7', value: '42' }), // JSON, but not an object or array: kept as text
          ],
        },
      ],
    };

    it('hands every handler the same payload and context, resolves and commits the same offsets', async () => {
      const recordings = await both(scenario);
      expectSameDelivery(recordings);
      const { received, resolved, committed, failures } = recordings.nest;
      expect(received.map((call) => call.data)).toEqual([
        { orderId: 'order-1', total: 12.5 },
        [1, 2],
        '{"orderId": "order-3",',
        // Nest's deserializer hands a tombstone (null value) over as the whole message: so does the fork.
        expect.objectContaining({ offset: '13', key: 'order-4', value: null, topic: 'order.created' }),
        Buffer.from([0, 0, 0, 0, 7, 2]),
        'plain text',
        '42',
      ]);
      expect(received[0]).toMatchObject({
        context: 'KafkaContext',
        topic: 'order.created',
        partition: 0,
        offsets: ['10'],
        consumerAndProducer: true,
        messages: [{ key: 'order-1', headers: { 'x-schema-version': '2' }, topic: 'order.created', partition: 0 }],
      });
      expect(resolved).toEqual(['10', '11', '12', '13', '14', '15', '16']);
      expect(committed).toEqual(['order.created/0@17']);
      expect(failures).toEqual([]);
    });

    it('differs on purpose: one heartbeat and no commit check per batch, where Nest’s eachMessage does both per message', async () => {
      const { nest, orderflow } = await both(scenario);
      // kafkajs's eachMessage loop: a heartbeat and a commit check after each message, a heartbeat after the batch.
      expect(nest).toMatchObject({ heartbeats: 8, commitChecks: 7 });
      // handleBatchInOrder: a heartbeat at the end of the batch (and once a second within it), then kafkajs's.
      expect(orderflow).toMatchObject({ heartbeats: 2, commitChecks: 0 });
      // Both commit the batch once: Nest's kafkajs when the batch is done, ours within the commit interval
      // (OffsetCommits; here when the scenario ends, as at a stop).
      expect(orderflow.committed).toEqual(nest.committed);
    });
  });

  describe('on requests with reply headers', () => {
    const scenario: Scenario = {
      handlers: [
        {
          topic: 'orders.create',
          name: 'create',
          isEvent: false,
          handle: async (data) => {
            const { orderId, outcome } = data as { orderId: string; outcome: string };
            if (outcome === 'fails') throw new Error(`order ${orderId} is invalid`);
            if (outcome === 'retriable') throw new KafkaRetriableException('database unavailable');
            if (outcome === 'streams') return of({ orderId, step: 1 }, { orderId, step: 2 });
            return { key: orderId, value: { orderId, accepted: true }, headers: { 'x-schema-version': '1' } };
          },
        },
      ],
      batches: () => [
        {
          topic: 'orders.create',
          partition: 1,
          messages: [
            request('20', { orderId: 'o-1', outcome: 'accepted' }, 'c-1'),
            request('21', { orderId: 'o-2', outcome: 'fails' }, 'c-2', '0'),
            request('22', { orderId: 'o-3', outcome: 'streams' }, 'c-3'),
            // No reply topic: Nest takes it for an event, handled without a reply.
            message('23', {
              value: '{"orderId":"o-4","outcome":"accepted"}',
              headers: { [KafkaHeaders.CORRELATION_ID]: 'c-4' },
            }),
          ],
        },
        {
          topic: 'orders.create',
          partition: 1,
          messages: [
            request('24', { orderId: 'o-5', outcome: 'retriable' }, 'c-5'),
            request('25', { orderId: 'o-6', outcome: 'accepted' }, 'c-6'),
          ],
        },
      ],
    };

    it('replies to the same topic and partition with the same headers and value, and commits the same offsets', async () => {
      const recordings = await both(scenario);
      expectSameDelivery(recordings);
      const { replies, resolved, committed, failures, received } = recordings.nest;
      expect(replies).toEqual([
        {
          topic: 'orders.create.reply',
          partition: 3,
          key: 'o-1',
          value: '{"orderId":"o-1","accepted":true}',
          headers: {
            'x-schema-version': '1',
            [KafkaHeaders.CORRELATION_ID]: 'c-1',
            [KafkaHeaders.NEST_IS_DISPOSED]: '\u0000',
          },
        },
        {
          topic: 'orders.create.reply',
          partition: 0,
          key: undefined,
          value: null,
          headers: {
            [KafkaHeaders.CORRELATION_ID]: 'c-2',
            [KafkaHeaders.NEST_ERR]: '{}',
            [KafkaHeaders.NEST_IS_DISPOSED]: '\u0000',
          },
        },
        {
          topic: 'orders.create.reply',
          partition: 3,
          key: undefined,
          value: '{"orderId":"o-3","step":1}',
          headers: { [KafkaHeaders.CORRELATION_ID]: 'c-3' },
        },
        {
          topic: 'orders.create.reply',
          partition: 3,
          key: undefined,
          value: '{"orderId":"o-3","step":2}',
          headers: { [KafkaHeaders.CORRELATION_ID]: 'c-3', [KafkaHeaders.NEST_IS_DISPOSED]: '\u0000' },
        },
      ]);
      expect(received.map((call) => call.offsets[0])).toEqual(['20', '21', '22', '23', '24']);
      // A handler's ordinary error is replied and its request committed; a retriable one goes to kafkajs.
      expect(resolved).toEqual(['20', '21', '22', '23']);
      expect(committed).toEqual(['orders.create/1@24']);
      expect(failures).toEqual(['Error: database unavailable']);
    });
  });

  describe('on an event handler that throws', () => {
    const scenario: Scenario = {
      handlers: [
        {
          topic: 'stock.reserved',
          name: 'reserved',
          isEvent: true,
          handle: async (data) => {
            if ((data as { n: number }).n === 31) throw new Error('database gone');
          },
        },
      ],
      batches: () => [
        {
          topic: 'stock.reserved',
          partition: 2,
          messages: ['30', '31', '32'].map((offset) =>
            message(offset, { value: JSON.stringify({ n: Number(offset) }) }),
          ),
        },
      ],
    };

    it('stops at the failing message, commits what came before it and rejects into kafkajs, as Nest does', async () => {
      const recordings = await both(scenario);
      expectSameDelivery(recordings);
      expect(recordings.nest).toMatchObject({
        resolved: ['30'],
        committed: ['stock.reserved/2@31'],
        failures: ['Error: database gone'],
        hooks: ['start 30', 'end 30', 'start 31', 'end 31'],
      });
    });
  });

  describe('on a consumer that stops in the middle of a batch', () => {
    const scenario: Scenario = {
      handlers: [
        {
          topic: 'stock.reserved',
          name: 'reserved',
          isEvent: true,
          handle: async (data) => {
            if ((data as { n: number }).n === 41) currentRunner!.running = false;
          },
        },
      ],
      batches: () => [
        {
          topic: 'stock.reserved',
          partition: 0,
          messages: ['40', '41', '42'].map((offset) =>
            message(offset, { value: JSON.stringify({ n: Number(offset) }) }),
          ),
        },
      ],
    };

    it('hands nothing over after the stop and commits the handled prefix, as Nest does', async () => {
      const recordings = await both(scenario);
      expectSameDelivery(recordings);
      expect(recordings.nest).toMatchObject({ resolved: ['40', '41'], committed: ['stock.reserved/0@42'] });
    });
  });

  describe('on an InAnyOrder handler (differs on purpose)', () => {
    const batches = () => [
      {
        topic: 'payment.charged',
        partition: 0,
        messages: ['50', '51', '52'].map((offset) => message(offset, { value: JSON.stringify({ n: Number(offset) }) })),
      },
    ];
    const handler = (failing?: number): HandlerSpec => ({
      topic: 'payment.charged',
      name: 'charged',
      isEvent: true,
      extras: InAnyOrder,
      handle: async (data) => {
        await yieldOnce();
        if ((data as { n: number }).n === failing) throw new Error('dead-letter publish failed');
      },
    });

    it('hands the whole batch over at once where Nest hands one message at a time; the same messages, offsets and commit', async () => {
      const { nest, orderflow } = await both({ handlers: [handler()], batches });
      expect(nest.concurrency).toBe(1);
      expect(orderflow.concurrency).toBe(3);
      expect(orderflow.received).toEqual(nest.received);
      expect(orderflow.resolved).toEqual(nest.resolved);
      expect(orderflow.committed).toEqual(nest.committed);
      expect(orderflow.committed).toEqual(['payment.charged/0@53']);
    });

    it('on a failure, has handled the messages after it too (they come again: the handler is idempotent by contract)', async () => {
      const { nest, orderflow } = await both({ handlers: [handler(51)], batches });
      expect(nest.received.map((call) => call.offsets[0])).toEqual(['50', '51']);
      expect(orderflow.received.map((call) => call.offsets[0])).toEqual(['50', '51', '52']);
      // What is committed and redelivered is the same: from the failed message on.
      expect(orderflow.resolved).toEqual(nest.resolved);
      expect(orderflow.resolved).toEqual(['50']);
      expect(orderflow.committed).toEqual(nest.committed);
      expect(orderflow.failures).toEqual(nest.failures);
    });
  });

  describe('on an InBatches handler (differs on purpose)', () => {
    const batches = () => [
      {
        topic: 'order.confirmed',
        partition: 4,
        messages: ['60', '61', '62'].map((offset) =>
          message(offset, { key: `order-${offset}`, value: JSON.stringify({ n: Number(offset) }) }),
        ),
      },
    ];
    const handler = (failing?: number): HandlerSpec => ({
      topic: 'order.confirmed',
      name: 'confirmed',
      isEvent: true,
      extras: InBatches,
      handle: async (data) => {
        const values = (Array.isArray(data) ? data : [data]) as { n: number }[];
        if (values.some((value) => value.n === failing)) throw new Error('one of them is invalid');
      },
    });

    it('takes the batch in one call, an array with every message in a KafkaBatchContext, where Nest calls once per message', async () => {
      const { nest, orderflow } = await both({ handlers: [handler()], batches });
      expect(nest.received.map((call) => call.data)).toEqual([{ n: 60 }, { n: 61 }, { n: 62 }]);
      expect(orderflow.received).toHaveLength(1);
      expect(orderflow.received[0]).toMatchObject({
        data: [{ n: 60 }, { n: 61 }, { n: 62 }],
        context: 'KafkaBatchContext',
        topic: 'order.confirmed',
        partition: 4,
        offsets: ['60', '61', '62'],
        consumerAndProducer: true,
      });
      // The messages in the batch context are the ones Nest's context holds, one by one.
      expect(orderflow.received[0].messages).toEqual(nest.received.flatMap((call) => call.messages));
      // One processing span for the call, and the batch resolved at its last offset: the same commit.
      expect(orderflow.hooks).toEqual(['start 60,61,62', 'end 60,61,62']);
      expect(nest.resolved).toEqual(['60', '61', '62']);
      expect(orderflow.resolved).toEqual(['62']);
      expect(orderflow.committed).toEqual(nest.committed);
    });

    it('after a failed call, hands each message over alone as Nest does, and fails where Nest fails', async () => {
      const { nest, orderflow } = await both({ handlers: [handler(61)], batches });
      expect(orderflow.received.map((call) => call.offsets)).toEqual([['60', '61', '62'], ['60'], ['61']]);
      // Past the batch call the same calls as Nest, each a one-message batch context with the value alone in an array.
      expect(orderflow.received.slice(1).map((call) => call.messages)).toEqual(
        nest.received.map((call) => call.messages),
      );
      expect(orderflow.received.slice(1).map((call) => call.data)).toEqual(nest.received.map((call) => [call.data]));
      expect(orderflow.resolved).toEqual(nest.resolved);
      expect(orderflow.committed).toEqual(nest.committed);
      expect(orderflow.failures).toEqual(nest.failures);
      expect(nest.failures).toEqual(['Error: one of them is invalid']);
    });
  });

  describe('routing a topic to its handler', () => {
    const routeOf = (server: ServerKafka, pattern: string): unknown =>
      (server as unknown as { getRouteFromPattern(pattern: string): unknown }).getRouteFromPattern(pattern);

    it.each([
      'order.created',
      'orders.create.reply',
      'a-b_c.d',
      '{"cmd":"sum","v":1}',
      '["a",1]',
      '"quoted"',
      '{not json',
    ])('routes %s as Nest does', (pattern) => {
      expect(routeOf(new TopicServerKafka({}), pattern)).toEqual(routeOf(new ServerKafka({}), pattern));
    });

    it.each([
      ['1e3', '1000'],
      ['true', true],
      ['null', null],
    ])(
      'differs on purpose for a topic named like a JSON literal (%s): by its name, where Nest routes the parsed value and misses the handler',
      (topic, nestRoute) => {
        expect(routeOf(new ServerKafka({}), topic)).toEqual(nestRoute);
        expect(routeOf(new TopicServerKafka({}), topic)).toBe(topic);
      },
    );
  });
});

describe('the conformance harness', () => {
  it('drives kafkajs’s own runner: Nest gets eachMessage, ours eachBatch resolving its own offsets', async () => {
    const seen: Record<ServerKind, object> = { nest: {}, orderflow: {} };
    for (const kind of ['nest', 'orderflow'] as const) {
      const server = kind === 'nest' ? new ServerKafka({}) : new TopicServerKafka({});
      const consumer = fakeConsumer();
      Object.assign(server, { consumer: consumer.asConsumer() });
      server.addHandler('order.created', noop as unknown as MessageHandler, true);
      await server.bindEvents(consumer.asConsumer());
      const options = consumer.run.mock.calls[0][0];
      seen[kind] = {
        eachMessage: typeof options.eachMessage,
        eachBatch: typeof options.eachBatch,
        eachBatchAutoResolve: options.eachBatchAutoResolve,
        subscribed: consumer.subscribe.mock.calls[0][0],
      };
    }
    expect(seen.nest).toEqual({
      eachMessage: 'function',
      eachBatch: 'undefined',
      eachBatchAutoResolve: undefined,
      subscribed: { topics: ['order.created'] },
    });
    expect(seen.orderflow).toEqual({
      eachMessage: 'undefined',
      eachBatch: 'function',
      eachBatchAutoResolve: false,
      subscribed: { topics: ['order.created'] },
    });
  });
});
