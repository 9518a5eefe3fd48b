import type { Consumer, EachBatchPayload } from 'kafkajs';

type Listener = (event: { payload: { restart: boolean } }) => void;

/** A kafkajs consumer for unit specs: records calls, and `emit` plays its crash and join events. */
export function fakeConsumer() {
  const listeners = new Map<string, Listener[]>();
  const consumer = {
    events: { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' },
    on: (name: string, listener: Listener) => listeners.set(name, [...(listeners.get(name) ?? []), listener]),
    emit: (name: 'consumer.crash' | 'consumer.group_join', restart = false) =>
      listeners.get(name)?.forEach((listener) => listener({ payload: { restart } })),
    connect: jest.fn(async () => undefined),
    subscribe: jest.fn(async (_subscription: object) => undefined),
    run: jest.fn(async (_options: Record<string, unknown>) => undefined),
  };
  return Object.assign(consumer, { asConsumer: () => consumer as unknown as Consumer });
}

/**
 * A kafkajs `eachBatch` payload for unit specs: one partition's messages; `resolved` lists the offsets
 * resolved, `committed` the last resolved offset at each commit.
 */
export function fakeBatch(topic: string, offsets: string[], running = { value: true }) {
  const resolved: string[] = [];
  const committed: string[] = [];
  const uncommitted = () => resolved.length > 0 && resolved.at(-1) !== committed.at(-1);
  const payload = {
    batch: { topic, partition: 2, messages: offsets.map((offset) => ({ offset })) },
    resolveOffset: (offset: string) => resolved.push(offset),
    uncommittedOffsets: () => ({ topics: uncommitted() ? [{ topic, partitions: [] }] : [] }),
    commitOffsetsIfNecessary: jest.fn(async () => void (uncommitted() && committed.push(resolved.at(-1)!))),
    heartbeat: jest.fn(async () => undefined),
    pause: () => () => undefined,
    isRunning: () => running.value,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  return { payload, resolved, committed };
}
