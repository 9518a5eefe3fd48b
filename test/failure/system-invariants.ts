import { consumedBy, Participant } from '@orderflow/contracts';
import { Kafka } from 'kafkajs';
import { KafkaTarget } from '../../tools/dlq/dead-letters';
import { AppName } from '../../tools/system/apps';
import { eventually } from '../support/eventually';
import { allDeadLetters } from './dead-letter-reader';
import { Catalogue, PlacedOrder } from './order-load';

/** Runs SQL against one service's own database. */
export type ServiceQuery = <Row>(app: AppName, sql: string, parameters?: unknown[]) => Promise<Row[]>;

/** What the invariants are checked against: the services' databases and what the load did. */
export interface InvariantSubject {
  query: ServiceQuery;
  catalogue: Catalogue;
  placed: readonly PlacedOrder[];
  /** The services that run with a database of their own; default `SERVICES_WITH_DATABASE`. */
  services?: readonly AppName[];
}

/** The fault suites' services that own a database (and an outbox and an inbox in it). */
export const SERVICES_WITH_DATABASE: readonly AppName[] = ['orders', 'inventory', 'payments', 'notifications'];

export interface OrderRow {
  id: string;
  customer_id: string;
  status: string;
  total_cents: string | null;
}

/** Figures for the run's report, once every invariant held. */
export interface InvariantSummary {
  orders: OrderRow[];
  confirmed: OrderRow[];
  cancelled: OrderRow[];
  chargedCents: number;
  refundedCents: number;
  paymentRows: number;
  stock: { sku: string; stock: number }[];
}

const DEFAULT_SETTLE_DEADLINE_MS = 180_000;

/** Every accepted order reaches a terminal state, read from the orders database. */
export async function waitForTerminalOrders(
  subject: InvariantSubject,
  timeoutMs = DEFAULT_SETTLE_DEADLINE_MS,
): Promise<void> {
  const ids = subject.placed.map((order) => order.id);
  await eventually(
    async () => {
      const open = await subject.query<{ id: string; status: string }>(
        'orders',
        `SELECT id, status FROM customer_order WHERE id = ANY($1) AND status NOT IN ('CONFIRMED', 'CANCELLED')`,
        [ids],
      );
      expect(open).toEqual([]);
    },
    { timeoutMs, intervalMs: 1_000 },
  );
}

/**
 * The invariants across the services once every order is terminal: one order per Idempotency-Key,
 * payments and money per customer, stock per sku, one notification per outcome, confirmed totals =
 * charges - refunds, no reservation open for a cancelled order, every outbox drained, every inbox
 * exactly the messages published to it. Fails (a Jest expectation) naming the order, customer or sku that breaks one.
 */
export async function checkSystemInvariants(subject: InvariantSubject): Promise<InvariantSummary> {
  const { query, catalogue, placed } = subject;
  const ids = placed.map((order) => order.id);
  const customerIds = catalogue.customers.map((customer) => customer.id);
  const orders = await query<OrderRow>(
    'orders',
    `SELECT id, customer_id, status, total_cents FROM customer_order WHERE customer_id = ANY($1)`,
    [customerIds],
  );
  const lines = await query<{ order_id: string; sku: string; quantity: number }>(
    'orders',
    'SELECT order_id, sku, quantity FROM order_line WHERE order_id = ANY($1)',
    [ids],
  );
  // Retried POSTs with one Idempotency-Key made one order each.
  expect(new Set(ids).size).toBe(placed.length);
  expect(orders).toHaveLength(placed.length);
  const status = new Map(orders.map((order) => [order.id, order]));
  const confirmed = orders.filter((order) => order.status === 'CONFIRMED');

  // Payments: one payment row per order at most (primary key), a confirmed order charged its total
  // once and never refunded, a cancelled one never left charged; each refund matches its charge.
  const payments = await eventually(
    async () => {
      const rows = await query<{
        order_id: string;
        customer_id: string;
        amount_cents: string;
        status: string;
        refunded_cents: string;
      }>(
        'payments',
        'SELECT order_id, customer_id, amount_cents, status, refunded_cents FROM payment WHERE order_id = ANY($1)',
        [ids],
      );
      for (const payment of rows) {
        const order = status.get(payment.order_id)!;
        if (order.status === 'CONFIRMED') {
          expect({ id: order.id, status: payment.status, refunded: payment.refunded_cents }).toEqual({
            id: order.id,
            status: 'CHARGED',
            refunded: '0',
          });
          expect(payment.amount_cents).toBe(order.total_cents);
        } else {
          expect(['DECLINED', 'VOIDED', 'REFUNDED']).toContain(payment.status);
          if (payment.status === 'REFUNDED') expect(payment.refunded_cents).toBe(payment.amount_cents);
        }
      }
      for (const order of confirmed) expect(rows.some((payment) => payment.order_id === order.id)).toBe(true);
      return rows;
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );

  // Money: balances + charges - refunds = opening balances, per customer.
  const accounts = await query<{ id: string; balance_cents: string }>(
    'payments',
    'SELECT id, balance_cents FROM customer_account WHERE id = ANY($1)',
    [customerIds],
  );
  let chargedCents = 0;
  let refundedCents = 0;
  for (const customer of catalogue.customers) {
    const mine = payments.filter(
      (payment) => payment.customer_id === customer.id && ['CHARGED', 'REFUNDED'].includes(payment.status),
    );
    const charges = mine.reduce((sum, payment) => sum + Number(payment.amount_cents), 0);
    const refunds = mine.reduce((sum, payment) => sum + Number(payment.refunded_cents), 0);
    chargedCents += charges;
    refundedCents += refunds;
    const balance = Number(accounts.find((account) => account.id === customer.id)!.balance_cents);
    expect({ customer: customer.id, total: balance + charges - refunds }).toEqual({
      customer: customer.id,
      total: customer.openingBalanceCents,
    });
  }

  // Stock: never negative (CHECK constraint) and initial - confirmed quantities, per sku.
  const stock = await query<{ sku: string; stock: number }>(
    'inventory',
    'SELECT sku, stock FROM product WHERE sku = ANY($1)',
    [catalogue.products.map((product) => product.sku)],
  );
  const confirmedIds = new Set(confirmed.map((order) => order.id));
  for (const product of catalogue.products) {
    const sold = lines
      .filter((line) => line.sku === product.sku && confirmedIds.has(line.order_id))
      .reduce((sum, line) => sum + line.quantity, 0);
    const left = stock.find((row) => row.sku === product.sku)!.stock;
    expect(left).toBeGreaterThanOrEqual(0);
    expect({ sku: product.sku, stock: left }).toEqual({ sku: product.sku, stock: product.stock - sold });
  }

  await expectOneNotificationPerOutcome(subject, orders);

  const summary: InvariantSummary = {
    orders,
    confirmed,
    cancelled: orders.filter((order) => order.status === 'CANCELLED'),
    chargedCents,
    refundedCents,
    paymentRows: payments.length,
    stock,
  };
  expectConfirmedTotalsMatchCharges(summary);
  await expectNoOpenReservations(subject, orders);
  await expectOutboxesDrained(subject);
  await expectInboxesMatchPublishedMessages(subject);
  return summary;
}

/**
 * Notifications: exactly one per outcome an order reached. A confirmed order that the customer then
 * cancelled reached both, so its customer was told both.
 */
async function expectOneNotificationPerOutcome(subject: InvariantSubject, orders: OrderRow[]): Promise<void> {
  const { query } = subject;
  const ids = subject.placed.map((order) => order.id);
  const everConfirmed = new Set(
    (
      await query<{ order_id: string }>(
        'orders',
        `SELECT DISTINCT order_id FROM order_status_change WHERE status = 'CONFIRMED' AND order_id = ANY($1)`,
        [ids],
      )
    ).map((row) => row.order_id),
  );
  const expectedKinds = (order: { id: string; status: string }): string[] => [
    ...(everConfirmed.has(order.id) ? ['ORDER_CONFIRMED'] : []),
    ...(order.status === 'CANCELLED' ? ['ORDER_CANCELLED'] : []),
  ];
  await eventually(
    async () => {
      const notifications = await query<{ order_id: string; kind: string }>(
        'notifications',
        'SELECT order_id, kind FROM notification WHERE order_id = ANY($1)',
        [ids],
      );
      const byOrder = new Map<string, string[]>();
      for (const notification of notifications)
        byOrder.set(notification.order_id, [...(byOrder.get(notification.order_id) ?? []), notification.kind]);
      const mismatched = orders.filter(
        (order) => [...(byOrder.get(order.id) ?? [])].sort().join(',') !== expectedKinds(order).sort().join(','),
      );
      expect(
        mismatched.map((order) => `${order.id} ${order.status} ${byOrder.get(order.id)?.join(',') ?? 'none'}`),
      ).toEqual([]);
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
}

/**
 * Every dead-letter topic's contents, one line per topic (empty: no message was lost to a crash).
 * Right after a broker restart a partition may still answer "not the leader": read again until it does.
 */
export async function deadLetterSummary(kafka: Kafka, deadLetterTool: KafkaTarget): Promise<string[]> {
  const deadLetters = await eventually(() => allDeadLetters(kafka, deadLetterTool), {
    timeoutMs: 30_000,
    intervalMs: 500,
  });
  return [...deadLetters].map(
    ([topic, letters]) => `${topic}: ${letters.map((letter) => `${letter.reason} ${letter.error}`).join('; ')}`,
  );
}

const DEFAULT_MESSAGE_DEADLINE_MS = 60_000;

/**
 * Every outbox drained: no message a service committed is left unpublished once the run is over.
 * A relay that stopped (or lost a row to a crash) leaves rows here.
 */
export async function expectOutboxesDrained(
  subject: InvariantSubject,
  timeoutMs = DEFAULT_MESSAGE_DEADLINE_MS,
): Promise<void> {
  const services = subject.services ?? SERVICES_WITH_DATABASE;
  await eventually(
    async () => {
      const unpublished = await Promise.all(
        services.map(async (service) => {
          const [row] = await subject.query<{ count: string }>(
            service,
            'SELECT count(*) FROM outbox_message WHERE published_at IS NULL',
          );
          return { service, unpublished: Number(row.count) };
        }),
      );
      expect(unpublished.filter((entry) => entry.unpublished > 0)).toEqual([]);
    },
    { timeoutMs, intervalMs: 1_000 },
  );
}

interface OutboxMessage {
  service: AppName;
  topic: string;
  key: string;
  eventId: string;
}

async function publishedMessages(subject: InvariantSubject): Promise<OutboxMessage[]> {
  const services = subject.services ?? SERVICES_WITH_DATABASE;
  const perService = await Promise.all(
    services.map(async (service) =>
      (
        await subject.query<{ topic: string; key: string; event_id: string }>(
          service,
          `SELECT topic, message_key AS key, payload::jsonb->>'eventId' AS event_id FROM outbox_message`,
        )
      ).map((row): OutboxMessage => ({ service, topic: row.topic, key: row.key, eventId: row.event_id })),
    ),
  );
  return perService.flat();
}

/**
 * The saga's messages that happen at most once per order: a second one with another event id means
 * a handler ran twice for one cause (a redelivery the inbox did not stop). `order.status-changed` is
 * left out: an order changes status several times.
 */
const ONCE_PER_ORDER_TOPICS: readonly string[] = [
  'order.created',
  'order.confirmed',
  'order.cancelled',
  'inventory.reserve',
  'inventory.release',
  'inventory.reserved',
  'inventory.rejected',
  'inventory.released',
  'payments.charge',
  'payments.refund',
  'payment.charged',
  'payment.declined',
  'payment.refunded',
];

/**
 * Inbox rows match the messages handled: each consumer's inbox holds exactly the event ids that the
 * running services published (their outboxes) on the topics it consumes, so none was skipped and none
 * came from nowhere; and no message that happens once per order was produced twice (applied twice).
 */
export async function expectInboxesMatchPublishedMessages(
  subject: InvariantSubject,
  timeoutMs = DEFAULT_MESSAGE_DEADLINE_MS,
): Promise<void> {
  const services = subject.services ?? SERVICES_WITH_DATABASE;
  const published = await publishedMessages(subject);

  const perOrderAndTopic = new Map<string, number>();
  for (const message of published.filter((candidate) => ONCE_PER_ORDER_TOPICS.includes(candidate.topic))) {
    const id = `${message.topic} ${message.key}`;
    perOrderAndTopic.set(id, (perOrderAndTopic.get(id) ?? 0) + 1);
  }
  const producedTwice = [...perOrderAndTopic].filter(([, count]) => count > 1).map(([id, count]) => `${id} x${count}`);
  expect(producedTwice).toEqual([]);

  await eventually(
    async () => {
      const mismatches: string[] = [];
      for (const consumer of services) {
        const topics = new Set(
          consumedBy(consumer as Participant)
            .filter((declaration) => declaration.kind === 'command' || declaration.kind === 'event')
            .map((declaration) => declaration.topic),
        );
        const expected = new Map(
          published.filter((message) => topics.has(message.topic)).map((message) => [message.eventId, message]),
        );
        const handled = new Set(
          (
            await subject.query<{ message_id: string }>(
              consumer,
              'SELECT message_id FROM inbox_message WHERE consumer = $1',
              [consumer],
            )
          ).map((row) => row.message_id),
        );
        const skipped = [...expected.values()].filter((message) => !handled.has(message.eventId));
        const unknown = [...handled].filter((id) => !expected.has(id));
        mismatches.push(
          ...skipped.map(
            (message) => `${consumer} never handled ${message.topic} ${message.eventId} (order ${message.key})`,
          ),
          ...unknown.map(
            (id) => `${consumer} handled ${id}, which no running service published on a topic it consumes`,
          ),
        );
      }
      expect(mismatches).toEqual([]);
    },
    { timeoutMs, intervalMs: 1_000 },
  );
}

/**
 * No stock reservation left open for a terminal order: a cancelled order's stock was given back
 * (RELEASED, REJECTED or none), a confirmed order's is held (RESERVED) with exactly its lines.
 */
export async function expectNoOpenReservations(subject: InvariantSubject, orders: readonly OrderRow[]): Promise<void> {
  const reservations = await subject.query<{
    order_id: string;
    status: string;
    items: { sku: string; quantity: number }[];
  }>('inventory', 'SELECT order_id, status, items FROM stock_reservation WHERE order_id = ANY($1)', [
    orders.map((order) => order.id),
  ]);
  const byOrder = new Map(reservations.map((reservation) => [reservation.order_id, reservation]));
  const placed = new Map(subject.placed.map((order) => [order.id, order]));
  const wrong: string[] = [];
  for (const order of orders) {
    const reservation = byOrder.get(order.id);
    if (order.status === 'CANCELLED' && reservation?.status === 'RESERVED') {
      wrong.push(`${order.id} CANCELLED but its reservation is still RESERVED`);
    }
    if (order.status === 'CONFIRMED') {
      const reserved = (reservation?.items ?? []).map((item) => `${item.sku}x${item.quantity}`).sort();
      const ordered = (placed.get(order.id)?.items ?? []).map((item) => `${item.sku}x${item.quantity}`).sort();
      if (reservation?.status !== 'RESERVED' || reserved.join() !== ordered.join()) {
        wrong.push(
          `${order.id} CONFIRMED but its reservation is ${reservation?.status ?? 'missing'} [${reserved.join()}]`,
        );
      }
    }
  }
  expect(wrong).toEqual([]);
}

/** The sum of confirmed order totals equals what payments charged minus what it refunded. */
export function expectConfirmedTotalsMatchCharges(summary: InvariantSummary): void {
  const confirmedTotal = summary.confirmed.reduce((sum, order) => sum + Number(order.total_cents), 0);
  expect({ confirmedTotal, chargedMinusRefunded: summary.chargedCents - summary.refundedCents }).toEqual({
    confirmedTotal,
    chargedMinusRefunded: confirmedTotal,
  });
}

/** Exact row counts and sums across the services: what a late duplicate would change. */
export async function exactCounts(subject: InvariantSubject): Promise<Record<string, number>> {
  const services = subject.services ?? SERVICES_WITH_DATABASE;
  const counts: Record<string, number> = {};
  const count = async (name: string, service: AppName, sql: string): Promise<void> => {
    const [row] = await subject.query<{ value: string | null }>(service, sql);
    counts[name] = Number(row.value ?? 0);
  };
  for (const service of services) {
    await count(`${service} outbox rows`, service, 'SELECT count(*) AS value FROM outbox_message');
    await count(`${service} inbox rows`, service, 'SELECT count(*) AS value FROM inbox_message');
  }
  const tables: [AppName, string, string][] = [
    ['orders', 'orders', 'SELECT count(*) AS value FROM customer_order'],
    ['orders', 'status changes', 'SELECT count(*) AS value FROM order_status_change'],
    ['orders', 'refunded on orders', 'SELECT sum(refunded_cents) AS value FROM customer_order'],
    ['inventory', 'reservations', 'SELECT count(*) AS value FROM stock_reservation'],
    ['inventory', 'stock', 'SELECT sum(stock) AS value FROM product'],
    ['payments', 'payments', 'SELECT count(*) AS value FROM payment'],
    ['payments', 'balances', 'SELECT sum(balance_cents) AS value FROM customer_account'],
    ['payments', 'refunded', 'SELECT sum(refunded_cents) AS value FROM payment'],
    ['notifications', 'notifications', 'SELECT count(*) AS value FROM notification'],
  ];
  for (const [service, name, sql] of tables) if (services.includes(service)) await count(name, service, sql);
  return counts;
}

/**
 * After every check held: nothing changes during a quiet period with no load. A duplicate that
 * arrives late (a redelivery after a rebalance, a relay publishing again) would add a row or move a sum.
 */
export async function expectNoLateChanges(subject: InvariantSubject, quietPeriodMs: number): Promise<void> {
  const before = await exactCounts(subject);
  // The quiet period is the thing under test, not a wait for a condition.
  await new Promise((wake) => setTimeout(wake, quietPeriodMs));
  expect(await exactCounts(subject)).toEqual(before);
}
