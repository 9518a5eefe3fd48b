import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Topics } from '@orderflow/contracts';
import { useTestDatabase } from '@orderflow/persistence/testing';
import { Message } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { KafkaConnection } from '../kafka/kafka-connection';
import { pollUntil } from '../kafka/poll-until';
import { MessageTransactions } from '../message-transactions';
import { messagingEntities, messagingMigrations } from '../messaging-persistence';
import { createMessage } from '../outgoing-message';
import { OutboxRelay } from './outbox-relay';
import { relayWokenByHand } from '../testing/relay-woken-by-hand';

jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

/** The lock every relay of a service takes to publish (outbox-relay.ts). */
const RELAY_LOCK_ID = 7_340_271;

/** The relay on PostgreSQL: what a pass claims, in which order, and what it leaves for the next. */
describe('OutboxRelay', () => {
  const database = useTestDatabase('outbox_relay', messagingEntities, messagingMigrations, 4);
  const sent: { topic: string; key: string }[] = [];
  let failSends = false;
  let beforeSend: (() => Promise<void>) | undefined;
  const kafka = {
    sendBatch: async (batches: { topic: string; messages: Message[] }[]) => {
      await beforeSend?.();
      if (failSends) throw new Error('broker unavailable');
      for (const { topic, messages } of batches) {
        for (const message of messages) sent.push({ topic, key: String(message.key) });
      }
    },
  } as unknown as KafkaConnection;
  let relay: OutboxRelay;
  let transactions: MessageTransactions;

  beforeAll(() => {
    relay = new OutboxRelay(database(), kafka);
    // Woken by hand (flush), as the tests need: no pass runs between a commit and the assertions.
    transactions = new MessageTransactions(database(), relayWokenByHand(), {
      service: 'relayed',
    });
  });

  beforeEach(async () => {
    sent.length = 0;
    failSends = false;
    beforeSend = undefined;
    await database().query('TRUNCATE outbox_message');
  });

  const publish = (...keys: string[]) =>
    transactions.run(async ({ publish: queue }) => {
      for (const key of keys) {
        const topic = key.startsWith('confirmed') ? Topics.OrderConfirmed : Topics.OrderCreated;
        queue(createMessage(topic, {} as never, { aggregateId: key, aggregateVersion: 1 }, { correlationId: key }));
      }
    });
  const unpublished = async () =>
    Number(
      (
        (await database().query(`SELECT count(*) AS count FROM outbox_message WHERE published_at IS NULL`)) as {
          count: string;
        }[]
      )[0].count,
    );

  it('publishes every unpublished row once, in the order it was written, and marks it published', async () => {
    await publish('created-1', 'confirmed-1', 'created-2');
    await publish('confirmed-2', 'created-3');
    await relay.flush();
    expect(sent.filter(({ topic }) => topic === Topics.OrderCreated).map(({ key }) => key)).toEqual([
      'created-1',
      'created-2',
      'created-3',
    ]);
    expect(sent.filter(({ topic }) => topic === Topics.OrderConfirmed).map(({ key }) => key)).toEqual([
      'confirmed-1',
      'confirmed-2',
    ]);
    expect(await unpublished()).toBe(0);
    await relay.flush();
    expect(sent).toHaveLength(5);
  });

  it('publishes a pass in two round trips: BEGIN with the claim, then COMMIT after the send', async () => {
    await publish('created-1', 'confirmed-1');
    // Every statement on the connections the relay takes from the pool during one pass.
    const pool = (database().driver as PostgresDriver).master as Pool;
    const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
    const spies = new Set<jest.SpyInstance>();
    // TypeORM's queries take their connection with a callback, the relay's with a promise.
    const connects = jest.spyOn(pool, 'connect').mockImplementation(((callback?: (...args: unknown[]) => void) => {
      const acquired = connect().then((client) => (spies.add(jest.spyOn(client, 'query')), client));
      if (!callback) return acquired;
      acquired.then((client) => callback(undefined, client, client.release.bind(client)), callback);
    }) as never);
    try {
      await relay.flush();
    } finally {
      connects.mockRestore();
    }
    const statements = [...spies].flatMap((spy) => spy.mock.calls.map(([statement]: unknown[]) => statement));
    for (const spy of spies) spy.mockRestore();
    expect(sent).toHaveLength(2);
    expect(statements).toHaveLength(2);
    expect(String(statements[0])).toMatch(/^\s*BEGIN;/);
    expect(statements[1]).toBe('COMMIT');
  });

  it("publishes a transaction's rows right after its commit, on its connection, with no second one", async () => {
    const committing = new MessageTransactions(database(), relay, { service: 'relayed' });
    const runners = jest.spyOn(database(), 'createQueryRunner');
    try {
      await committing.run(async ({ publish: queue }) => {
        queue(
          createMessage(
            Topics.OrderCreated,
            {} as never,
            { aggregateId: 'a', aggregateVersion: 1 },
            { correlationId: 'a' },
          ),
        );
      });
      await pollUntil(async () => sent.length === 1, {
        timeoutMs: 5_000,
        intervalMs: 10,
        timedOut: () => new Error('not published'),
      });
      // The transaction's runner only: the relay did not take a connection of its own for the pass.
      expect(runners).toHaveBeenCalledTimes(1);
    } finally {
      runners.mockRestore();
    }
    await relay.flush();
    expect(sent).toEqual([{ topic: Topics.OrderCreated, key: 'a' }]);
    expect(await unpublished()).toBe(0);
  });

  it('sends nothing after a commit that failed, and leaves the connection to the committer', async () => {
    // Committed before, unpublished: the claim queued behind the failed COMMIT takes it in a new
    // transaction, which the committer's ROLLBACK undoes; the next pass sends it, once.
    await publish('created-1');
    const runner = database().createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const release = jest.fn(() => runner.release());
    try {
      await client.query(
        'CREATE TEMP TABLE deferred_check (id int PRIMARY KEY, ref int REFERENCES deferred_check (id) DEFERRABLE INITIALLY DEFERRED)',
      );
      await client.query('BEGIN');
      await client.query('INSERT INTO deferred_check VALUES (1, 2)');
      const committed = client.query('COMMIT');
      expect(relay.publishAfter(committed, { client, release })).toBe(true);
      await expect(committed).rejects.toThrow(/foreign key/);
      await client.query('ROLLBACK');
      await relay.flush();
    } finally {
      await runner.release();
    }
    expect(release).not.toHaveBeenCalled();
    expect(sent.map(({ key }) => key)).toEqual(['created-1']);
    expect(await unpublished()).toBe(0);
  });

  it('leaves a commit to the woken relay while a pass is running', async () => {
    await publish('created-1');
    let sendStarted!: () => void;
    const started = new Promise<void>((resolve) => (sendStarted = resolve));
    let finishSend!: () => void;
    beforeSend = () => (sendStarted(), new Promise<void>((resolve) => (finishSend = resolve)));
    relay.wake();
    await started;
    const release = jest.fn();
    expect(relay.publishAfter(Promise.resolve(), { client: {} as PoolClient, release })).toBe(false);
    beforeSend = undefined;
    finishSend();
    await relay.flush();
    expect(release).not.toHaveBeenCalled();
    expect(sent.map(({ key }) => key)).toEqual(['created-1']);
  });

  it('marks nothing when the send fails, and sends those rows on the next pass', async () => {
    await publish('created-1', 'created-2');
    failSends = true;
    await relay.flush();
    expect(sent).toEqual([]);
    expect(await unpublished()).toBe(2);
    failSends = false;
    await relay.flush();
    expect(sent.map(({ key }) => key)).toEqual(['created-1', 'created-2']);
    expect(await unpublished()).toBe(0);
  });

  it('keeps running when the database drops its connection during a pass, and publishes those rows on the next', async () => {
    await publish('created-1');
    const pool = (database().driver as PostgresDriver).master as Pool;
    beforeSend = async () => {
      beforeSend = undefined;
      // Until the pool has dropped the relay's connection: an error nobody listens for would crash the process first.
      const dropped = once(pool, 'remove');
      await database().query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'idle in transaction'`,
      );
      await dropped;
    };
    await relay.flush();
    expect(await unpublished()).toBe(1);
    await relay.flush();
    expect(await unpublished()).toBe(0);
    expect(sent.map(({ key }) => key)).toEqual(['created-1', 'created-1']);
  });

  it('claims nothing while another relay of the service holds the lock, and publishes after it', async () => {
    await publish(`created-${randomUUID()}`);
    const other = database().createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK_ID]);
      await relay.flush();
      expect(sent).toEqual([]);
      expect(await unpublished()).toBe(1);
      await other.commitTransaction();
    } finally {
      await other.release();
    }
    await relay.flush();
    expect(sent).toHaveLength(1);
    expect(await unpublished()).toBe(0);
  });
});
