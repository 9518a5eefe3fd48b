import { randomUUID } from 'node:crypto';
import { MessageHeaders, Topics } from '@orderflow/contracts';
import type { Message } from 'kafkajs';
import { Client } from 'pg';
import { InboxMessageEntity } from './inbox/inbox-message.entity';
import { KafkaConnection } from './kafka/kafka-connection';
import { lastValueFrom, defer } from 'rxjs';
import { asPrincipal } from './handling/principal-context';
import { useEmbeddedTestDatabase } from '@orderflow/persistence/testing';
import { MessageTransactions } from './message-transactions';
import { messagingEntities, messagingMigrations } from './messaging-persistence';
import { OutboxRelay } from './outbox/outbox-relay';
import { relayWokenByHand } from './testing/relay-woken-by-hand';

jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

/** The inbox on the embedded database (PGlite): `runOnce`, `runOnceEach` for `InBatches` handlers, and the relay. */
describe('MessageTransactions inbox', () => {
  const database = useEmbeddedTestDatabase('inbox', messagingEntities, messagingMigrations);
  let transactions: MessageTransactions;

  beforeAll(() => {
    transactions = new MessageTransactions(database(), relayWokenByHand(), { service: 'batch-consumer' });
  });

  const message = (label: string) => ({ eventId: randomUUID(), label });
  /** A message a work publishes, keyed by `key`. */
  const confirmation = (key: string) => ({
    topic: Topics.OrderConfirmed,
    key,
    envelope: {
      eventId: randomUUID(),
      type: Topics.OrderConfirmed,
      occurredAt: new Date().toISOString(),
      correlationId: key,
      aggregateId: key,
      aggregateVersion: 1,
      payload: {},
    },
  });
  /** The headers of every outbox row keyed by `key`. */
  const headersOf = async (key: string) =>
    (
      (await database().query(`SELECT headers FROM outbox_message WHERE message_key = $1`, [key])) as {
        headers: Record<string, string>;
      }[]
    ).map((row) => row.headers);
  const recordedIds = async (ids: string[]) =>
    (
      (await database().query(
        `SELECT message_id FROM inbox_message WHERE consumer = 'batch-consumer' AND message_id = ANY($1::text[])`,
        [ids],
      )) as { message_id: string }[]
    ).map((row) => row.message_id);

  it('runOnce runs the work for a first delivery and reports a redelivery as a duplicate', async () => {
    const a = message('a');
    await expect(transactions.runOnce(a, async () => 'done')).resolves.toEqual({ duplicate: false, result: 'done' });
    const work = jest.fn(async () => 'again');
    await expect(transactions.runOnce(a, work)).resolves.toEqual({ duplicate: true });
    expect(work).not.toHaveBeenCalled();
    expect(await recordedIds([a.eventId])).toEqual([a.eventId]);
  });

  it('hands over the first deliveries of a batch in its order, each event id once, and records them', async () => {
    const [a, b, c] = [message('a'), message('b'), message('c')];
    const handed: string[][] = [];
    const firstDeliveries = await transactions.runOnceEach([a, b, a, c], async (messages) => {
      handed.push(messages.map((m) => m.label));
    });
    expect(handed).toEqual([['a', 'b', 'c']]);
    expect(firstDeliveries.map((m) => m.label)).toEqual(['a', 'b', 'c']);
    expect((await recordedIds([a.eventId, b.eventId, c.eventId])).sort()).toEqual(
      [a.eventId, b.eventId, c.eventId].sort(),
    );
  });

  it('leaves out what this consumer already handled, and calls nothing for a batch of redeliveries', async () => {
    const [old, fresh] = [message('old'), message('fresh')];
    await transactions.runOnceEach([old], async () => undefined);
    const handed: string[][] = [];
    await transactions.runOnceEach([old, fresh], async (messages) => void handed.push(messages.map((m) => m.label)));
    await transactions.runOnceEach([old, fresh], async (messages) => void handed.push(messages.map((m) => m.label)));
    expect(handed).toEqual([['fresh']]);
  });

  it('records nothing when the work fails, so the messages are handled when they come again', async () => {
    const [a, b] = [message('a'), message('b')];
    await expect(
      transactions.runOnceEach([a, b], async () => {
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect(await recordedIds([a.eventId, b.eventId])).toEqual([]);
    const handed: string[] = [];
    await transactions.runOnceEach([a, b], async (messages) => void handed.push(...messages.map((m) => m.label)));
    expect(handed).toEqual(['a', 'b']);
  });

  it('commits the messages the work publishes with the inbox rows', async () => {
    const a = message('a');
    await transactions.runOnceEach([a], async (_messages, transaction) => {
      transaction.publish(confirmation(a.eventId));
    });
    const outbox = (await database().query(`SELECT topic FROM outbox_message WHERE message_key = $1`, [a.eventId])) as {
      topic: string;
    }[];
    expect(outbox).toEqual([{ topic: Topics.OrderConfirmed }]);
  });

  it('writes the principal of the work in hand into the headers of its messages, and none without one', async () => {
    const publishOne = (key: string) =>
      transactions.run(async ({ publish }) => {
        // An await first: the principal must survive the hops of a real handler.
        await new Promise((resolve) => setImmediate(resolve));
        publish(confirmation(key));
      });
    const [asked, unasked] = [randomUUID(), randomUUID()];
    await lastValueFrom(asPrincipal('customer:alice', () => defer(() => publishOne(asked))));
    await publishOne(unasked);
    const [askedHeaders] = await headersOf(asked);
    expect(askedHeaders[MessageHeaders.Principal]).toBe('customer:alice');
    expect(askedHeaders[MessageHeaders.CorrelationId]).toBe(asked);
    expect((await headersOf(unasked))[0]).not.toHaveProperty(MessageHeaders.Principal);
  });

  it('opens with the inbox statement and closes with the outbox statement: two round trips of its own', async () => {
    const a = message('a');
    const sent = jest.spyOn(Client.prototype, 'query');
    try {
      await transactions.runOnce(a, async ({ manager, publish }) => {
        await manager.query(`SELECT 1`);
        publish(confirmation(a.eventId));
      });
      const statements = sent.mock.calls.map(([statement]) => String(typeof statement === 'string' ? statement : ''));
      expect(statements).toEqual([
        expect.stringMatching(/^BEGIN;\s+INSERT INTO inbox_message/),
        'SELECT 1',
        expect.stringMatching(/^INSERT INTO outbox_message[\s\S]*;\s+COMMIT$/),
      ]);
    } finally {
      sent.mockRestore();
    }
  });

  it('keeps quotes and backslashes in what it writes as they were', async () => {
    const odd = { eventId: `it's a \\ "test" ${randomUUID()}`, label: 'odd' };
    const key = `key's \\ ${randomUUID()}`;
    const published = {
      ...confirmation(key),
      envelope: { ...confirmation(key).envelope, payload: { note: `'; DROP TABLE outbox_message; --\\` } },
    };
    await transactions.runOnce(odd, async ({ publish }) => publish(published));
    expect(await recordedIds([odd.eventId])).toEqual([odd.eventId]);
    const [row] = (await database().query(`SELECT payload FROM outbox_message WHERE message_key = $1`, [key])) as {
      payload: string;
    }[];
    expect(JSON.parse(row.payload)).toEqual(published.envelope);
    await expect(transactions.runOnce(odd, async () => 'again')).resolves.toEqual({ duplicate: true });
  });

  it("lets a work's TypeORM save join its transaction: a failing work leaves nothing behind", async () => {
    const a = message('a');
    const saved = { consumer: 'saved-in-a-work', messageId: a.eventId, handledAt: new Date() };
    await expect(
      transactions.runOnce(a, async ({ manager }) => {
        await manager.save(InboxMessageEntity, saved);
        throw new Error('after the save');
      }),
    ).rejects.toThrow('after the save');
    expect(
      await database().query(`SELECT 1 FROM inbox_message WHERE consumer = $1 AND message_id = $2`, [
        saved.consumer,
        a.eventId,
      ]),
    ).toEqual([]);
  });

  describe('work that arrives while a transaction runs', () => {
    /** Holds the first transaction open until `release`, so the calls made meanwhile queue behind it. */
    const holdTheFirst = () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const first = transactions.run(async ({ manager }) => {
        await released;
        return transactionId(manager);
      });
      return { first, release };
    };
    const transactionId = async (manager: { query: (sql: string) => Promise<{ id: string }[]> }) =>
      (await manager.query(`SELECT txid_current()::text AS id`))[0].id;

    it('shares the next transaction, each work in turn, a redelivery among them once', async () => {
      const { first, release } = holdTheFirst();
      const [a, b] = [message('a'), message('b')];
      const order: string[] = [];
      const queued = [
        transactions.runOnce(a, async ({ manager }) => (order.push('a'), transactionId(manager))),
        transactions.runOnce(b, async ({ manager }) => (order.push('b'), transactionId(manager))),
        transactions.runOnce(a, async ({ manager }) => (order.push('a again'), transactionId(manager))),
      ];
      release();
      const [firstId, ...outcomes] = await Promise.all([first, ...queued]);
      expect(order).toEqual(['a', 'b']);
      const [ofA, ofB, ofRedelivery] = outcomes;
      expect(ofRedelivery).toEqual({ duplicate: true });
      expect(ofA).toEqual({ duplicate: false, result: expect.any(String) });
      expect(ofB).toEqual(ofA);
      expect((ofA as { result: string }).result).not.toBe(firstId);
      expect((await recordedIds([a.eventId, b.eventId])).sort()).toEqual([a.eventId, b.eventId].sort());
    });

    it('lets a failing work fail alone: the others it shared a transaction with take effect', async () => {
      const { first, release } = holdTheFirst();
      const [good, bad, later] = [message('good'), message('bad'), message('later')];
      const queued = [
        transactions.runOnce(good, async ({ publish }) => publish(confirmation(good.eventId))),
        transactions.runOnce(bad, async () => {
          throw new Error('this one fails');
        }),
        transactions.runOnce(later, async ({ publish }) => publish(confirmation(later.eventId))),
      ];
      release();
      await first;
      const [ofGood, ofBad, ofLater] = await Promise.allSettled(queued);
      expect(ofBad).toMatchObject({ status: 'rejected', reason: new Error('this one fails') });
      expect(ofGood).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
      expect(ofLater).toMatchObject({ status: 'fulfilled', value: { duplicate: false } });
      expect((await recordedIds([good.eventId, bad.eventId, later.eventId])).sort()).toEqual(
        [good.eventId, later.eventId].sort(),
      );
      expect(await headersOf(good.eventId)).toHaveLength(1);
      expect(await headersOf(later.eventId)).toHaveLength(1);
    });

    it("names each work's own principal in the headers of what it publishes", async () => {
      const { first, release } = holdTheFirst();
      const [ofAlice, ofNobody, ofBob] = [randomUUID(), randomUUID(), randomUUID()];
      const publishing = (key: string) => () =>
        defer(() => transactions.run(async ({ publish }) => publish(confirmation(key))));
      const queued = [
        lastValueFrom(asPrincipal('customer:alice', publishing(ofAlice))),
        lastValueFrom(publishing(ofNobody)()),
        lastValueFrom(asPrincipal('customer:bob', publishing(ofBob))),
      ];
      release();
      await Promise.all([first, ...queued]);
      expect((await headersOf(ofAlice))[0][MessageHeaders.Principal]).toBe('customer:alice');
      expect((await headersOf(ofNobody))[0]).not.toHaveProperty(MessageHeaders.Principal);
      expect((await headersOf(ofBob))[0][MessageHeaders.Principal]).toBe('customer:bob');
    });
  });

  it('is published by the relay, whose pass opens its transaction and claims in one simple query', async () => {
    const key = randomUUID();
    await transactions.run(async ({ publish }) => publish(confirmation(key)));
    const sent: string[] = [];
    const kafka = {
      sendBatch: async (batches: { topic: string; messages: Message[] }[]) =>
        void sent.push(...batches.flatMap(({ messages }) => messages.map((m) => String(m.key)))),
    } as unknown as KafkaConnection;
    await new OutboxRelay(database(), kafka).flush();
    expect(sent).toContain(key);
    const unpublished = (await database().query(
      `SELECT count(*)::int AS count FROM outbox_message WHERE published_at IS NULL`,
    )) as { count: number }[];
    expect(unpublished).toEqual([{ count: 0 }]);
  });
});
