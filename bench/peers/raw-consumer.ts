import { commitEndedBatches } from '@orderflow/messaging';
import { EachMessagePayload, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { Pool, PoolClient } from 'pg';
import { BenchTopics } from '../bench-topics';
import { benchKafkaConfig } from './bench-kafka-settings';
import { argument, CompletionCounter } from './peer-protocol';

/**
 * The hand-written baseline consumer: eachMessage or eachBatch; with --database, the same write as
 * Orderflow's inbox path, by hand: one transaction with the inbox row and the effect row per message,
 * or (eachBatch with --batch-transactions) one transaction per fetched batch, as an `InBatches`
 * handler with `runOnceEach` writes it.
 */
async function main(): Promise<void> {
  const mode = argument('mode');
  const counter = new CompletionCounter(Number(argument('count')));
  const databaseUrl = process.argv.includes('--database') ? argument('database') : undefined;
  const batchTransactions = process.argv.includes('--batch-transactions');
  const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 5 }) : undefined;
  const kafka = new Kafka({
    ...benchKafkaConfig('bench-raw-consumer', argument('brokers')),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: argument('group'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: BenchTopics.Events, fromBeginning: true });

  // Commits as the apps' servers do (OffsetCommits), not after every batch as kafkajs would.
  commitEndedBatches(consumer, console);
  const handle = async ({ message }: Pick<EachMessagePayload, 'message'>) => {
    const envelope = envelopeOf(message);
    if (pool) await writeByHand(pool, envelope);
  };
  if (mode === 'eachBatch') {
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        if (pool && batchTransactions) {
          await writeBatchByHand(pool, batch.messages.map(envelopeOf));
          resolveOffset(batch.lastOffset());
        } else {
          for (const message of batch.messages) {
            await handle({ message });
            resolveOffset(message.offset);
          }
        }
        await heartbeat();
        counter.seen(batch.messages.length);
      },
    });
  } else {
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      autoCommit: false,
      eachMessage: async (payload) => {
        await handle(payload);
        counter.seen();
      },
    });
  }
}

interface Envelope {
  eventId: string;
  payload: { orderId: string; note: string };
}

function envelopeOf(message: KafkaMessage): Envelope {
  return JSON.parse(message.value!.toString()) as Envelope;
}

async function writeByHand(pool: Pool, envelope: Envelope): Promise<void> {
  await inTransaction(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO inbox_message (consumer, message_id, handled_at) VALUES ('bench', $1, now()) ON CONFLICT DO NOTHING RETURNING message_id`,
      [envelope.eventId],
    );
    if (inserted.rowCount) {
      await client.query('INSERT INTO bench_effect (message_id, order_id, note_length) VALUES ($1, $2, $3)', [
        envelope.eventId,
        envelope.payload.orderId,
        envelope.payload.note.length,
      ]);
    }
  });
}

async function writeBatchByHand(pool: Pool, envelopes: Envelope[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    const inserted = await client.query<{ message_id: string }>(
      `INSERT INTO inbox_message (consumer, message_id, handled_at)
       SELECT 'bench', message_id, now() FROM unnest($1::text[]) AS message_id
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [envelopes.map((envelope) => envelope.eventId)],
    );
    const firstDeliveries = new Set(inserted.rows.map((row) => row.message_id));
    const fresh = envelopes.filter((envelope) => firstDeliveries.delete(envelope.eventId));
    if (fresh.length === 0) return;
    await client.query(
      `INSERT INTO bench_effect (message_id, order_id, note_length)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::int[])`,
      [fresh.map((e) => e.eventId), fresh.map((e) => e.payload.orderId), fresh.map((e) => e.payload.note.length)],
    );
  });
}

async function inTransaction(pool: Pool, work: (client: PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

// Exits rather than dies on the runner's SIGTERM, so a --cpu-prof profile gets written.
process.once('SIGTERM', () => process.exit(0));
void main();
