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
}

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
 * The business invariants across the services once every order is terminal: one order per
 * Idempotency-Key, payments and money per customer, stock per sku, one notification per outcome.
 * Fails (a Jest expectation) naming the order, customer or sku that breaks one.
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

  return {
    orders,
    confirmed,
    cancelled: orders.filter((order) => order.status === 'CANCELLED'),
    chargedCents,
    refundedCents,
    paymentRows: payments.length,
    stock,
  };
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
