import { randomUUID } from 'node:crypto';
import { IHeaders, Kafka, KafkaMessage, logLevel, Partitioners } from 'kafkajs';
import { DeadLetterHeaders, KafkaSecurity, kafkaSecurityConfig } from '@orderflow/messaging';

/** The tool's consumer group on each `.dlq` topic: its committed offset marks what `replay` has put back. */
export const REPLAY_GROUP = 'dlq-tool-replay';

export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  eventId?: string;
  reason?: string;
  error?: string;
  originalTopic: string;
  /** Below the replay group's committed offset: a full `replay` has already put it back. */
  replayed: boolean;
}

export interface ReplayResult {
  replayed: DeadLetter[];
}

/** The cluster and the principal to reach it as: the tool's own (orderflow-dlq-tool) where the broker authenticates. */
export interface KafkaTarget {
  brokers: string[];
  security: KafkaSecurity;
}

function kafkaFor({ brokers, security }: KafkaTarget): Kafka {
  return new Kafka({
    clientId: `dlq-tool-${randomUUID().slice(0, 8)}`,
    brokers,
    ...kafkaSecurityConfig(security),
    logLevel: logLevel.NOTHING,
  });
}

export function deadLetterTopic(topic: string): string {
  return topic.endsWith('.dlq') ? topic : `${topic}.dlq`;
}

/** Every message of `<topic>.dlq`, oldest first per partition, with what its headers say. */
export async function listDeadLetters(target: KafkaTarget, topic: string): Promise<DeadLetter[]> {
  const kafka = kafkaFor(target);
  const dlq = deadLetterTopic(topic);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(dlq);
    const committed = await admin.fetchOffsets({ groupId: REPLAY_GROUP, topics: [dlq] });
    const replayedBelow = new Map<number, bigint>();
    for (const { partition, offset } of committed[0]?.partitions ?? []) {
      replayedBelow.set(partition, BigInt(offset === '-1' ? '0' : offset));
    }
    const wanted = ends.filter(({ offset, low }) => BigInt(offset) > BigInt(low));
    if (wanted.length === 0) return [];
    const messages = await readAll(kafka, admin, dlq, new Map(wanted.map((p) => [p.partition, BigInt(p.offset)])));
    return messages.map(({ partition, message }) =>
      toDeadLetter(topic, partition, message, BigInt(message.offset) < (replayedBelow.get(partition) ?? 0n)),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Puts dead letters back on their original topic, without the `x-dlq-*` headers. Without `id`: every
 * one not replayed yet, then the replay group's offsets move to the end. With `id` (an event id or an
 * offset, `partition:offset` where the DLQ has several partitions): that message only, whatever its
 * state. Replayed messages keep their event id, so a consumer's inbox still drops a second delivery.
 */
export async function replayDeadLetters(target: KafkaTarget, topic: string, id?: string): Promise<ReplayResult> {
  const all = await listDeadLetters(target, topic);
  const chosen =
    id === undefined ? all.filter((letter) => !letter.replayed) : all.filter((letter) => matches(letter, id));
  if (id !== undefined && chosen.length === 0) throw new Error(`no dead letter ${id} in ${deadLetterTopic(topic)}`);
  const kafka = kafkaFor(target);
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (const letter of chosen) {
      await producer.send({
        topic: letter.originalTopic,
        acks: -1,
        messages: [{ key: letter.key, value: letter.value, headers: withoutDeadLetterHeaders(letter.headers) }],
      });
    }
  } finally {
    await producer.disconnect();
  }
  if (id === undefined && chosen.length > 0) await markReplayed(kafka, deadLetterTopic(topic), chosen);
  return { replayed: chosen };
}

function matches(letter: DeadLetter, id: string): boolean {
  if (letter.eventId === id) return true;
  if (id.includes(':')) return `${letter.partition}:${letter.offset}` === id;
  return letter.offset === id;
}

function withoutDeadLetterHeaders(headers: Record<string, string>): IHeaders {
  const dlqHeaders = new Set<string>(Object.values(DeadLetterHeaders));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !dlqHeaders.has(name)));
}

async function markReplayed(kafka: Kafka, dlq: string, letters: DeadLetter[]): Promise<void> {
  const next = new Map<number, bigint>();
  for (const { partition, offset } of letters) {
    next.set(partition, BigInt(offset) + 1n > (next.get(partition) ?? 0n) ? BigInt(offset) + 1n : next.get(partition)!);
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({
      groupId: REPLAY_GROUP,
      topic: dlq,
      partitions: [...next].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Reads each partition up to its end offset with a throwaway group, deleted afterwards. */
async function readAll(
  kafka: Kafka,
  admin: ReturnType<Kafka['admin']>,
  topic: string,
  ends: Map<number, bigint>,
): Promise<{ partition: number; message: KafkaMessage }[]> {
  const groupId = `dlq-tool-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const read: { partition: number; message: KafkaMessage }[] = [];
  const left = new Set(ends.keys());
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const deadline = setTimeout(() => fail(new Error(`could not read ${topic} to its end within 30 s`)), 30_000);
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (!left.has(partition)) return;
            read.push({ partition, message });
            if (BigInt(message.offset) + 1n >= ends.get(partition)!) left.delete(partition);
            if (left.size === 0) {
              clearTimeout(deadline);
              done();
            }
          },
        })
        .catch(fail);
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return read.sort((a, b) => a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)));
}

function toDeadLetter(topic: string, partition: number, message: KafkaMessage, replayed: boolean): DeadLetter {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  const original = headers[DeadLetterHeaders.OriginalTopic] ?? deadLetterTopic(topic).replace(/\.dlq$/, '');
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers,
    eventId: headers['x-message-id'] ?? eventIdOf(message.value),
    reason: headers[DeadLetterHeaders.Reason],
    error: headers[DeadLetterHeaders.Error],
    originalTopic: original,
    replayed,
  };
}

function eventIdOf(value: Buffer | null): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value?.toString() ?? '');
    const eventId = (parsed as { eventId?: unknown } | null)?.eventId;
    return typeof eventId === 'string' ? eventId : undefined;
  } catch {
    return undefined;
  }
}
