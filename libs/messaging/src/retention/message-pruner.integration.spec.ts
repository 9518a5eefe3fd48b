import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '@orderflow/persistence/testing';
import { MessageTransactions } from '../message-transactions';
import { messagingEntities, messagingMigrations } from '../messaging-persistence';
import { MessageMetricsHooks, MessageTable } from '../metrics/message-metrics';
import { MessagePruner } from './message-pruner';
import { RetentionSettings } from './retention-settings';
import { relayWokenByHand } from '../testing/relay-woken-by-hand';

jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

const HOUR_MS = 60 * 60 * 1000;
const CONSUMER = 'pruned-consumer';

/** The pruner on PostgreSQL: what it deletes, what it keeps, and that it works in small statements. */
describe('MessagePruner', () => {
  const database = useTestDatabase('pruner', messagingEntities, messagingMigrations, 6);
  let transactions: MessageTransactions;
  const batches: { table: MessageTable; rows: number }[] = [];
  const metrics = { pruned: (table: MessageTable, rows: number) => batches.push({ table, rows }) };

  const pruner = (settings: Partial<RetentionSettings> = {}) =>
    new MessagePruner(
      database(),
      {
        outboxRetentionMs: 10 * 60 * 1000,
        inboxRetentionMs: 2 * HOUR_MS,
        inboxRetentionMarginMs: HOUR_MS,
        pruneIntervalMs: 60_000,
        pruneBatchSize: 100,
        ...settings,
      },
      metrics as unknown as MessageMetricsHooks,
    );

  beforeAll(() => {
    transactions = new MessageTransactions(database(), relayWokenByHand(), { service: CONSUMER });
  });

  beforeEach(async () => {
    batches.length = 0;
    await database().query('TRUNCATE outbox_message, inbox_message');
  });

  /** Inbox records `ageMs` old, written straight into the table. */
  async function handledLongAgo(count: number, ageMs: number): Promise<void> {
    await database().query(
      `INSERT INTO inbox_message (consumer, message_id, handled_at)
       SELECT $1, gen_random_uuid()::text, now() - $2::bigint * interval '1 millisecond' FROM generate_series(1, $3)`,
      [CONSUMER, ageMs, count],
    );
  }

  async function outboxRow(publishedAgoMs: number | null): Promise<string> {
    const [row] = (await database().query(
      `INSERT INTO outbox_message (topic, message_key, payload, published_at)
       VALUES ('order.created', 'k', '{}', CASE WHEN $1::bigint IS NULL THEN NULL ELSE now() - $1::bigint * interval '1 millisecond' END)
       RETURNING id`,
      [publishedAgoMs],
    )) as { id: string }[];
    return row.id;
  }

  const count = async (table: string) =>
    Number(((await database().query(`SELECT count(*) AS n FROM ${table}`)) as { n: string }[])[0].n);

  it('deletes published outbox rows past the grace period and keeps the unpublished and the recent', async () => {
    const old = await outboxRow(HOUR_MS);
    const recent = await outboxRow(60_000);
    const unpublished = await outboxRow(null);
    await expect(pruner().prune()).resolves.toEqual({ outbox: 1, inbox: 0 });
    const left = ((await database().query('SELECT id FROM outbox_message ORDER BY id')) as { id: string }[]).map(
      (row) => row.id,
    );
    expect(left).toEqual([recent, unpublished]);
    expect(left).not.toContain(old);
  });

  it('deletes inbox records older than the retention, in statements of at most a batch each', async () => {
    await handledLongAgo(250, 3 * HOUR_MS);
    await handledLongAgo(7, 30 * 60 * 1000);
    await expect(pruner().prune()).resolves.toEqual({ outbox: 0, inbox: 250 });
    expect(await count('inbox_message')).toBe(7);
    expect(batches.filter((batch) => batch.table === 'inbox').map((batch) => batch.rows)).toEqual([100, 100, 50]);
  });

  it('keeps every inbox record when the retention is 0', async () => {
    await handledLongAgo(5, 1000 * HOUR_MS);
    await expect(pruner({ inboxRetentionMs: 0 }).prune()).resolves.toEqual({ outbox: 0, inbox: 0 });
    expect(await count('inbox_message')).toBe(5);
  });

  it('still deduplicates a message redelivered inside the window after a prune pass', async () => {
    const message = { eventId: randomUUID() };
    const effects: string[] = [];
    await transactions.runOnce(message, async () => void effects.push('first'));
    await handledLongAgo(120, 3 * HOUR_MS);
    await expect(pruner().prune()).resolves.toMatchObject({ inbox: 120 });
    await expect(transactions.runOnce(message, async () => void effects.push('again'))).resolves.toEqual({
      duplicate: true,
    });
    expect(effects).toEqual(['first']);
  });

  it('lets handlers commit between its batches: a pass over many rows never holds them up to its end', async () => {
    await handledLongAgo(20_000, 3 * HOUR_MS);
    const prunerUnderLoad = pruner({ pruneBatchSize: 500 });
    let passDone = false;
    const pass = prunerUnderLoad.prune().then((pruned) => {
      passDone = true;
      return pruned;
    });
    const committedDuringPass: boolean[] = [];
    while (!passDone) {
      await transactions.runOnce({ eventId: randomUUID() }, async () => undefined);
      committedDuringPass.push(!passDone);
    }
    await expect(pass).resolves.toEqual({ outbox: 0, inbox: 20_000 });
    // Handlers committed while the pass still had batches to go, and each batch was one small statement.
    expect(committedDuringPass.filter(Boolean).length).toBeGreaterThan(1);
    expect(Math.max(...batches.map((batch) => batch.rows))).toBeLessThanOrEqual(500);
    expect(batches.length).toBeGreaterThanOrEqual(40);
    expect(await count('inbox_message')).toBe(committedDuringPass.length);
  });
});
