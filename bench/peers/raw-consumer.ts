import { EachMessagePayload, Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { BenchTopics } from '../bench-topics';
import { argument, CompletionCounter } from './peer-protocol';

/**
 * The hand-written baseline consumer: eachMessage or eachBatch; with --database, the same write as
 * Orderflow's inbox path, by hand: one transaction with the inbox row and the effect row.
 */
async function main(): Promise<void> {
  const mode = argument('mode');
  const counter = new CompletionCounter(Number(argument('count')));
  const databaseUrl = process.argv.includes('--database') ? argument('database') : undefined;
  const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 5 }) : undefined;
  const kafka = new Kafka({
    clientId: 'bench-raw-consumer',
    brokers: argument('brokers').split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: argument('group'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: BenchTopics.Events, fromBeginning: true });

  const handle = async ({ message }: Pick<EachMessagePayload, 'message'>) => {
    const envelope = JSON.parse(message.value!.toString()) as {
      eventId: string;
      payload: { orderId: string; note: string };
    };
    if (pool) await writeByHand(pool, envelope);
  };
  if (mode === 'eachBatch') {
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const message of batch.messages) {
          await handle({ message });
          resolveOffset(message.offset);
        }
        await heartbeat();
        counter.seen(batch.messages.length);
      },
    });
  } else {
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async (payload) => {
        await handle(payload);
        counter.seen();
      },
    });
  }
}

async function writeByHand(
  pool: Pool,
  envelope: { eventId: string; payload: { orderId: string; note: string } },
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
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
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

void main();
