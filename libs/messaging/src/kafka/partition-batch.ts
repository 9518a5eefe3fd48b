import type { EachBatchPayload, EachMessagePayload, KafkaMessage } from 'kafkajs';

/**
 * Handler extras for `@EventPattern(topic, InAnyOrder)`: the handler is safe whatever the order of its
 * messages (idempotent and order-free, e.g. keyed by event id or guarded by a version), so the messages
 * of one fetched partition batch are handed to it all at once instead of one after the other. Handlers
 * that group their writes (GroupCommit) then commit a partition's batch together.
 */
export const InAnyOrder = Object.freeze({ inAnyOrder: true });

export function handlesInAnyOrder(extras: Record<string, unknown> | undefined): boolean {
  return extras?.inAnyOrder === true;
}

/**
 * Handler extras for `@EventPattern(topic, InBatches)`: the handler takes every message of a fetched
 * partition batch in one call (an array, in offset order; `@ValidPayloads(Class)` validates each), so
 * it can write them in one transaction (`MessageTransactions.runOnceEach`). If that call fails, the
 * batch is handed over again one message per call, each with its own retries and dead letter: one bad
 * message costs its batch a second pass, never the good messages' effects.
 */
export const InBatches = Object.freeze({ inBatches: true });

export function handlesInBatches(extras: Record<string, unknown> | undefined): boolean {
  return extras?.inBatches === true;
}

type HandleMessage = (payload: EachMessagePayload) => Promise<unknown>;

/** kafkajs only sends a heartbeat once its interval has passed; asking more often costs awaits for nothing. */
const HEARTBEAT_CHECK_EVERY_MS = 1_000;

/**
 * One fetched batch of one partition, each message through `handleMessage` in offset order, the next
 * only once the last is done: what kafkajs's `eachMessage` does, without its per-message awaits on the
 * heartbeat and the commit check (a batch commits once, when it is done). A message's offset is resolved
 * when its handler is done, so a stop or a failure mid-batch commits exactly the handled prefix.
 */
export async function handleBatchInOrder(batchPayload: EachBatchPayload, handleMessage: HandleMessage): Promise<void> {
  const { batch, resolveOffset, isRunning, isStale } = batchPayload;
  let lastHeartbeatCheck = Date.now();
  for (const message of batch.messages) {
    if (!isRunning() || isStale()) return;
    await handleMessage(messagePayload(batchPayload, message));
    resolveOffset(message.offset);
    if (Date.now() - lastHeartbeatCheck >= HEARTBEAT_CHECK_EVERY_MS) {
      lastHeartbeatCheck = Date.now();
      await batchPayload.heartbeat();
    }
  }
  await batchPayload.heartbeat();
}

/**
 * One fetched batch of one partition, every message handed over at once (`InAnyOrder` handlers only).
 * Offsets are resolved up to the first message whose handling failed; that failure is rethrown, so
 * kafkajs delivers it and the messages after it again (the handler is idempotent by contract).
 */
export async function handleBatchInAnyOrder(
  batchPayload: EachBatchPayload,
  handleMessage: HandleMessage,
): Promise<void> {
  const { batch, resolveOffset, isRunning, isStale } = batchPayload;
  if (!isRunning() || isStale()) return;
  const outcomes = await Promise.allSettled(
    batch.messages.map((message) => handleMessage(messagePayload(batchPayload, message))),
  );
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'rejected') throw outcome.reason;
    resolveOffset(batch.messages[index].offset);
  }
  await batchPayload.heartbeat();
}

/**
 * One fetched batch of one partition in one `handleMessages` call (`InBatches` handlers), every offset
 * resolved when it succeeds. `prepare` turns the messages into what the handler takes, once. If the
 * call fails, the prepared messages go through `handleMessages` again one per call, in order, as
 * `handleBatchInOrder` hands them over: the handler's retries and dead letter then apply to the
 * message that fails, and the others take effect.
 */
export async function handleBatchAsOne<T>(
  batchPayload: EachBatchPayload,
  prepare: (messages: KafkaMessage[]) => T[] | Promise<T[]>,
  handleMessages: (prepared: T[]) => Promise<unknown>,
): Promise<void> {
  const { batch, resolveOffset, isRunning, isStale } = batchPayload;
  const last = batch.messages.at(-1);
  if (!last || !isRunning() || isStale()) return;
  const prepared = await prepare(batch.messages);
  try {
    await handleMessages(prepared);
  } catch {
    const preparedOf = new Map(batch.messages.map((message, index) => [message, prepared[index]]));
    await handleBatchInOrder(batchPayload, ({ message }) => handleMessages([preparedOf.get(message)!]));
    return;
  }
  resolveOffset(last.offset);
  await batchPayload.heartbeat();
}

function messagePayload(batchPayload: EachBatchPayload, message: KafkaMessage): EachMessagePayload {
  const { batch, heartbeat, pause } = batchPayload;
  return { topic: batch.topic, partition: batch.partition, message, heartbeat, pause };
}
