import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  MessageHeaders,
  Topics,
  type AuditEventView,
  type OrderAccepted,
  type OrderTimeline,
  type Page,
} from '@orderflow/contracts';
import { DeadLetterHeaders } from '@orderflow/messaging';
import { databaseUrl, dropDatabase } from '@orderflow/persistence';
import { deadLetterTopic, listDeadLetters } from '../../tools/dlq/dead-letters';
import { AppProcess } from '../../tools/system/app-process';
import { freePort } from '../../tools/system/free-port';
import { eventually } from '../support/eventually';
import { createCustomer, createProduct, envelope, orderReaching } from '../support/fixtures';
import { SystemUnderTest } from '../support/system-under-test';
import { handledBy } from './audit-search-support';

/** What one confirmed order leaves in the log, from the orders, inventory and payments services. */
const confirmedOrderEvents = [
  'inventory.reserved',
  'order.confirmed',
  'order.created',
  'order.status-changed',
  'order.status-changed',
  'order.status-changed',
  'payment.charged',
];

interface EventRow {
  event_id: string;
  order_id: string;
  type: string;
}

describe('the audit log', () => {
  const system = new SystemUnderTest();
  const http = system.http;
  const confirmedOrders: string[] = [];

  beforeAll(async () => {
    const customer = await createCustomer(http, 10_000_000);
    const product = await createProduct(http, { stock: 1_000, priceCents: 150 });
    // Sequential, each with an idempotency key: a 504 on a busy machine is retried without a second order.
    for (let count = 0; count < 50; count++) {
      const key = randomUUID();
      const placed = await eventually(async () => {
        const response = await http.post<OrderAccepted>(
          '/orders',
          { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] },
          { 'Idempotency-Key': key },
        );
        expect(response.status).toBe(202);
        return response.body;
      });
      confirmedOrders.push(placed.id);
    }
    for (const id of confirmedOrders) expect((await orderReaching(http, id)).status).toBe('CONFIRMED');
  });

  afterAll(() => system.close());

  it('catches up on every event of 50 completed orders when it starts after them', async () => {
    const environment = system.environment;
    const suffix = randomBytes(3).toString('hex');
    const database = `${environment.databasePrefix}_audit_late_${suffix}`;
    const late = await AppProcess.start({
      app: 'audit',
      instance: `audit-late-${suffix}`,
      port: await freePort(),
      logDir: environment.logDir,
      env: {
        ...system.kafkaEnvironment('audit'),
        DATABASE_URL: environment.databaseUrl,
        DATABASE_NAME: database,
        AUDIT_GROUP_ID: `audit-late-${suffix}`,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
      },
    });
    const client = new Client({ connectionString: databaseUrl(environment.databaseUrl, database) });
    try {
      await late.waitUntilReady();
      await client.connect();
      const eventsOf = async (query: (sql: string, parameters: unknown[]) => Promise<EventRow[]>) =>
        query(`SELECT event_id, order_id, type FROM audit_event WHERE order_id = ANY($1::uuid[]) ORDER BY event_id`, [
          confirmedOrders,
        ]);
      const caughtUp = await eventually(
        async () => {
          const rows = await eventsOf(async (sql, parameters) => (await client.query(sql, parameters)).rows);
          for (const id of confirmedOrders) {
            const types = rows.filter((row) => row.order_id === id).map((row) => row.type);
            expect(types.sort()).toEqual(confirmedOrderEvents);
          }
          return rows;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(caughtUp).toHaveLength(50 * confirmedOrderEvents.length);
      // The same events, by id, as the audit service that was running all along.
      const live = await eventsOf((sql, parameters) => system.query<EventRow>('audit', sql, parameters));
      expect(caughtUp.map((row) => row.event_id)).toEqual(live.map((row) => row.event_id));
    } finally {
      await client.end().catch(() => undefined);
      await late.stop();
      await dropDatabase(environment.databaseUrl, database);
    }
  });

  it('records a redelivered event once, and its table refuses updates and deletes', async () => {
    const orderId = confirmedOrders[0];
    const [original] = await system.query<{
      event_id: string;
      topic: string;
      message_key: string;
      type: string;
      occurred_at: Date;
      correlation_id: string;
      causation_id: string | null;
      aggregate_id: string;
      aggregate_version: number;
      payload: object;
    }>('audit', `SELECT * FROM audit_event WHERE order_id = $1 AND type = 'order.confirmed'`, [orderId]);
    const before = await system.query('audit', `SELECT event_id FROM audit_event WHERE order_id = $1`, [orderId]);

    const producer = await system.producer();
    const redelivered = await producer.send({
      topic: original.topic,
      messages: [
        {
          key: original.message_key,
          value: JSON.stringify({
            eventId: original.event_id,
            type: original.type,
            occurredAt: original.occurred_at.toISOString(),
            correlationId: original.correlation_id,
            causationId: original.causation_id ?? undefined,
            aggregateId: original.aggregate_id,
            aggregateVersion: original.aggregate_version,
            payload: original.payload,
          }),
        },
      ],
    });
    await handledBy(system.kafka, 'audit-server', redelivered);

    const after = await system.query('audit', `SELECT event_id FROM audit_event WHERE order_id = $1`, [orderId]);
    expect(after).toHaveLength(before.length);
    const copies = await system.query('audit', `SELECT 1 FROM audit_event WHERE event_id = $1`, [original.event_id]);
    expect(copies).toHaveLength(1);
    await expect(system.query('audit', `DELETE FROM audit_event WHERE order_id = $1`, [orderId])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      system.query('audit', `UPDATE audit_event SET type = 'x' WHERE order_id = $1`, [orderId]),
    ).rejects.toThrow(/append-only/);
  });

  it('records the good events of a batch that holds a bad one, and dead-letters the bad one alone', async () => {
    // One send, one key: one partition, so audit fetches the three together and records them in one
    // call (InBatches); the bad one fails that call, and the events then go through one by one.
    const sku = `AUDIT-${randomBytes(4).toString('hex').toUpperCase()}`;
    const registered = (priceCents: number) =>
      envelope('product.registered', sku, 1, { sku, name: 'Batch lamp', priceCents });
    const [first, bad, last] = [registered(100), registered(-1), registered(200)];
    const producer = await system.producer();
    await producer.send({
      topic: 'product.registered',
      messages: [first, bad, last].map((event) => ({ key: sku, value: JSON.stringify(event) })),
    });

    await eventually(
      async () => {
        const recorded = await system.query<{ event_id: string }>(
          'audit',
          `SELECT event_id FROM audit_event WHERE event_id = ANY($1::uuid[]) ORDER BY sequence`,
          [[first.eventId, bad.eventId, last.eventId]],
        );
        expect(recorded.map((row) => row.event_id)).toEqual([first.eventId, last.eventId]);
        const deadLetters = await listDeadLetters(system.deadLetterTool(), deadLetterTopic('product.registered'));
        const audits = deadLetters.filter(
          (letter) => letter.eventId === bad.eventId && letter.headers[DeadLetterHeaders.ConsumerGroup] === 'audit',
        );
        expect(audits).toHaveLength(1);
        expect(audits[0].reason).toBe('INVALID');
        expect(audits[0].error).toMatch(/priceCents/);
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  });

  it('records who asked on every event an order causes, from every service, and shows it', async () => {
    // Until the gateway verifies bearer tokens it names no principal: the request is sent as the
    // gateway would send it for a signed-in customer, straight to orders.create.
    const principal = `customer:e2e-${randomBytes(4).toString('hex')}`;
    const customer = await createCustomer(http, 10_000);
    const product = await createProduct(http, { stock: 10, priceCents: 150 });
    const idempotencyKey = randomUUID();
    const producer = await system.producer();
    await producer.send({
      topic: Topics.OrdersCreate,
      messages: [
        {
          key: customer.id,
          value: JSON.stringify({
            customerId: customer.id,
            items: [{ sku: product.sku, quantity: 1 }],
            idempotencyKey,
          }),
          headers: {
            [MessageHeaders.CorrelationId]: `e2e-${randomUUID()}`,
            [MessageHeaders.Principal]: principal,
            // Nest's request-reply headers: the answer goes to the reply topic, where no caller waits for it.
            kafka_correlationId: randomUUID(),
            kafka_replyTopic: `${Topics.OrdersCreate}.reply`,
            kafka_replyPartition: '0',
          },
        },
      ],
    });
    const orderId = await eventually(async () => {
      const [order] = await system.query<{ id: string }>(
        'orders',
        'SELECT id FROM customer_order WHERE idempotency_key = $1',
        [idempotencyKey],
      );
      expect(order).toBeDefined();
      return order.id;
    });
    expect((await orderReaching(http, orderId)).status).toBe('CONFIRMED');

    const rows = await eventually(async () => {
      const recorded = await system.query<{ type: string; principal: string | null }>(
        'audit',
        'SELECT type, principal FROM audit_event WHERE order_id = $1',
        [orderId],
      );
      expect(recorded.map((row) => row.type).sort()).toEqual(confirmedOrderEvents);
      return recorded;
    });
    expect(rows.map((row) => row.principal)).toEqual(rows.map(() => principal));

    const timeline = await http.get<OrderTimeline>(`/orders/${orderId}/timeline`);
    expect(timeline.body.events.map((event) => event.principal)).toEqual(rows.map(() => principal));
  });

  it("shows an order's events from every service in causal order", async () => {
    const orderId = confirmedOrders[1];
    const response = await http.get<OrderTimeline>(`/orders/${orderId}/timeline`);

    expect(response.status).toBe(200);
    const events = response.body.events;
    expect(events.map((event) => event.type).sort()).toEqual(confirmedOrderEvents);
    expect(new Set(events.map((event) => event.topic.split('.')[0]))).toEqual(
      new Set(['order', 'inventory', 'payment']),
    );
    expect(events[0].type).toBe('order.created');
    const position = (predicate: (event: AuditEventView) => boolean) => events.findIndex(predicate);
    const statusChange = (status: string) =>
      position((event) => event.type === 'order.status-changed' && event.payload.status === status);
    expect(position((event) => event.type === 'inventory.reserved')).toBeLessThan(statusChange('STOCK_RESERVED'));
    expect(statusChange('STOCK_RESERVED')).toBeLessThan(position((event) => event.type === 'payment.charged'));
    expect(position((event) => event.type === 'payment.charged')).toBeLessThan(statusChange('PAID'));
    expect(statusChange('PAID')).toBeLessThan(statusChange('CONFIRMED'));
    for (let index = 1; index < events.length; index++) {
      expect(events[index].occurredAt >= events[index - 1].occurredAt).toBe(true);
    }
    for (const [index, event] of events.entries()) {
      const cause = events.findIndex((other) => other.eventId === event.causationId);
      expect(cause).toBeLessThan(index);
    }
  });

  it('pages through the log oldest first, filtered by order, type and correlation id', async () => {
    const orderId = confirmedOrders[2];
    const seen: AuditEventView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/audit?orderId=${orderId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await http.get<Page<AuditEventView>>(query);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);

    expect(seen).toHaveLength(confirmedOrderEvents.length);
    expect(new Set(seen.map((event) => event.eventId)).size).toBe(seen.length);
    const times = seen.map((event) => event.occurredAt);
    expect(times).toEqual([...times].sort());

    const changes = await http.get<Page<AuditEventView>>(`/audit?orderId=${orderId}&type=order.status-changed`);
    expect(changes.body.items.map((event) => event.payload.status)).toEqual(['STOCK_RESERVED', 'PAID', 'CONFIRMED']);
    const correlationId = seen[0].correlationId;
    const correlated = await http.get<Page<AuditEventView>>(`/audit?correlationId=${correlationId}&limit=100`);
    expect(correlated.body.items.every((event) => event.correlationId === correlationId)).toBe(true);
    expect(correlated.body.items.map((event) => event.eventId)).toEqual(expect.arrayContaining([seen[0].eventId]));

    const invalid = await http.get(`/audit?cursor=not-a-cursor`);
    expect(invalid.status).toBe(400);
  });
});
