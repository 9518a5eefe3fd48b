import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { MessageEnvelope, MessageHeaders, OrderView, ProductView, schemaVersions, Topics } from '@orderflow/contracts';
import { listDeadLetters } from '../../tools/dlq/dead-letters';
import { eventually } from '../support/eventually';
import {
  balanceOf,
  createCustomer,
  createProduct,
  envelope,
  orderReaching,
  placeOrder,
  stockOf,
} from '../support/fixtures';
import { SystemUnderTest } from '../support/system-under-test';
import { connectToServiceDatabase } from '../support/test-databases';

/**
 * inventory.rejected went from version 1 (`skus`) to version 2 (`lines`, with quantities). During a
 * rolling deploy an inventory instance of the release before still answers some orders with version 1
 * while the current instances answer the others with version 2; orders (per message) and audit
 * (InBatches) read both. The test plays the old instance with a raw producer.
 */
describe('a rolling deploy across inventory.rejected version 1 and 2', () => {
  const system = new SystemUnderTest();
  const http = system.http;
  const rounds = 3;

  afterAll(() => system.close());

  it('completes every order while an instance of the release before still publishes version 1', async () => {
    expect(schemaVersions[Topics.StockRejected]).toBe(2);
    const customer = await createCustomer(http, 1_000_000);
    const plenty = await createProduct(http, { stock: 1_000, priceCents: 150 });
    const scarce = await createProduct(http, { stock: 1, priceCents: 100 });
    // Answered by the old instance: the current one is held back from it (below) until it has.
    const heldBack = await createProduct(http, { stock: 0, priceCents: 100 });

    const confirmed: string[] = [];
    const rejectedByCurrent: string[] = [];
    const rejectedByOld = new Map<string, string>(); // order id → event id of its version 1 rejection
    for (let round = 0; round < rounds; round += 1) {
      for (let index = 0; index < 3; index += 1) {
        confirmed.push(await order(customer.id, plenty, 2));
        if (index < 2) rejectedByCurrent.push(await order(customer.id, scarce, 5));
      }
      const hold = await holdProduct(heldBack.sku);
      try {
        const answered = [await order(customer.id, heldBack, 2), await order(customer.id, heldBack, 1)];
        for (const orderId of answered) rejectedByOld.set(orderId, await publishVersion1Rejection(orderId, heldBack));
        // While the current instance is held back, only the version 1 message can have cancelled them.
        for (const orderId of answered) {
          expect(await orderReaching(http, orderId, ['CANCELLED'])).toMatchObject({ cancelReason: 'OUT_OF_STOCK' });
        }
      } finally {
        await hold.release();
      }
    }

    const outcomes = await Promise.all(
      [...confirmed, ...rejectedByCurrent, ...rejectedByOld.keys()].map((id) => orderReaching(http, id)),
    );
    const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
    expect(confirmed.map((id) => statusOf(byId.get(id)!))).toEqual(confirmed.map(() => 'CONFIRMED'));
    expect([...rejectedByCurrent, ...rejectedByOld.keys()].map((id) => statusOf(byId.get(id)!))).toEqual(
      [...rejectedByCurrent, ...rejectedByOld.keys()].map(() => 'CANCELLED OUT_OF_STOCK'),
    );
    expect(await balanceOf(http, customer.id)).toBe(1_000_000 - confirmed.length * 2 * 150);
    expect(await stockOf(http, plenty.sku)).toBe(1_000 - confirmed.length * 2);
    expect(await stockOf(http, scarce.sku)).toBe(1);
    expect(await stockOf(http, heldBack.sku)).toBe(0);

    // The current instance answers in version 2, saying by how much each line fell short...
    const current = await rejectionsPublishedByInventory([...rejectedByCurrent, ...rejectedByOld.keys()]);
    expect(current.get(rejectedByCurrent[0])).toMatchObject({
      headers: { [MessageHeaders.SchemaVersion]: '2' },
      envelope: {
        schemaVersion: 2,
        payload: { reason: 'OUT_OF_STOCK', lines: [{ sku: scarce.sku, requestedQuantity: 5, availableQuantity: 1 }] },
      },
    });
    // ...and, once let go, answers the held-back orders too: late duplicates, which the saga ignores.
    const allRejections = [...[...current.values()].map((row) => row.envelope.eventId), ...rejectedByOld.values()];

    // Both consumers handled every rejection of either version: none is left unread or dead-lettered.
    await eventually(
      async () => {
        const handled = await system.query<{ message_id: string }>(
          'orders',
          `SELECT message_id FROM inbox_message WHERE message_id = ANY($1::text[])`,
          [allRejections],
        );
        expect(handled.map((row) => row.message_id).sort()).toEqual([...allRejections].sort());
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const audited = await eventually(
      async () => {
        const rows = await system.query<{ event_id: string; payload: Record<string, unknown> }>(
          'audit',
          `SELECT event_id, payload FROM audit_event WHERE event_id = ANY($1::uuid[])`,
          [allRejections],
        );
        expect(rows).toHaveLength(allRejections.length);
        return new Map(rows.map((row) => [row.event_id, row.payload]));
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    // Audit (InBatches) recorded the version 1 messages as their upcaster reads them.
    for (const [orderId, eventId] of rejectedByOld) {
      expect(audited.get(eventId)).toEqual({ orderId, reason: 'OUT_OF_STOCK', lines: [{ sku: heldBack.sku }] });
    }
    const ours = new Set([...confirmed, ...rejectedByCurrent, ...rejectedByOld.keys()]);
    const letters = await listDeadLetters(system.deadLetterTool(), Topics.StockRejected);
    expect(letters.filter((letter) => ours.has(letter.key ?? ''))).toEqual([]);
  });

  it('parks a message of a version no consumer reads yet on the dead-letter topic, as UNSUPPORTED_VERSION', async () => {
    const orderId = randomUUID();
    const future = {
      ...envelope(Topics.StockRejected, orderId, 1, { orderId, reason: 'OUT_OF_STOCK', shortfalls: [] }),
      schemaVersion: 3,
    };
    const producer = await system.producer();
    await producer.send({
      topic: Topics.StockRejected,
      messages: [
        {
          key: orderId,
          value: JSON.stringify(future),
          headers: { [MessageHeaders.MessageId]: future.eventId, [MessageHeaders.SchemaVersion]: '3' },
        },
      ],
    });

    // Each group that reads the topic parks its own copy: orders (per message) and audit (InBatches).
    const letters = await eventually(
      async () => {
        const found = (await listDeadLetters(system.deadLetterTool(), Topics.StockRejected)).filter(
          (letter) => letter.key === orderId,
        );
        expect(found.map((letter) => letter.headers['x-dlq-consumer-group']).sort()).toEqual(['audit', 'orders']);
        return found;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    for (const letter of letters) {
      expect(letter.reason).toBe('UNSUPPORTED_VERSION');
      expect(letter.error).toContain('inventory.rejected version 3 is newer than this consumer reads (2)');
      expect(JSON.parse(letter.value!.toString())).toEqual(future);
    }
  });

  async function order(customerId: string, product: ProductView, quantity: number): Promise<string> {
    const accepted = await placeOrder(http, { customerId, items: [{ sku: product.sku, quantity }] });
    return accepted.id;
  }

  /** What an inventory instance of the release before publishes: version 1, no schemaVersion anywhere. */
  async function publishVersion1Rejection(orderId: string, product: ProductView): Promise<string> {
    const message = envelope(Topics.StockRejected, orderId, 1, {
      orderId,
      reason: 'OUT_OF_STOCK',
      skus: [product.sku],
    });
    const producer = await system.producer();
    await producer.send({
      topic: Topics.StockRejected,
      messages: [
        {
          key: orderId,
          value: JSON.stringify(message),
          headers: {
            [MessageHeaders.CorrelationId]: message.correlationId,
            [MessageHeaders.MessageId]: message.eventId,
            [MessageHeaders.MessageType]: message.type,
          },
        },
      ],
    });
    return message.eventId;
  }

  /**
   * Holds the product's row in inventory's database, so the current inventory instance waits on its
   * reserve of the product (it locks the row FOR UPDATE) and the old instance's answer comes first.
   * Short: meanwhile inventory fetches nothing new.
   */
  async function holdProduct(sku: string): Promise<{ release(): Promise<void> }> {
    const { databaseUrl, databasePrefix } = system.environment;
    const client: Client = await connectToServiceDatabase(databaseUrl, databasePrefix, 'inventory');
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM product WHERE sku = $1 FOR UPDATE', [sku]);
    return {
      release: async () => {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }

  /** The inventory.rejected message inventory published for each of `orderIds`, as its outbox holds it. */
  async function rejectionsPublishedByInventory(orderIds: string[]): Promise<Map<string, PublishedMessage>> {
    return eventually(
      async () => {
        const rows = await system.query<{ message_key: string; headers: Record<string, string>; payload: string }>(
          'inventory',
          `SELECT message_key, headers, payload FROM outbox_message
            WHERE topic = $1 AND message_key = ANY($2::text[]) AND published_at IS NOT NULL`,
          [Topics.StockRejected, orderIds],
        );
        expect(rows.map((row) => row.message_key).sort()).toEqual([...orderIds].sort());
        return new Map(
          rows.map((row) => [
            row.message_key,
            { headers: row.headers, envelope: JSON.parse(row.payload) as MessageEnvelope },
          ]),
        );
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }
});

interface PublishedMessage {
  headers: Record<string, string>;
  envelope: MessageEnvelope;
}

function statusOf(order: OrderView): string {
  return order.cancelReason ? `${order.status} ${order.cancelReason}` : order.status;
}
