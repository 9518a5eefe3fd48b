import type { CustomerTotalsView, SkuSalesView } from '@orderflow/contracts';
import { eventually } from '../support/eventually';
import type { HttpResponse } from '../support/http';
import type { InvariantSubject } from './system-invariants';

interface SkuTotals {
  orders: number;
  units: number;
  revenueCents: number;
}

/** What the stream processor must report for the run's orders, derived from the services' databases. */
export interface ExpectedStreamResults {
  /** Per SKU, summed over every 1-minute window: each sale counted once, none missing. */
  skus: Record<string, SkuTotals>;
  /** Per customer with at least one outcome: the running totals of /analytics/customers/:id. */
  customers: Record<string, Omit<CustomerTotalsView, 'customerId'>>;
}

/**
 * A sale is an order that reached CONFIRMED (a later cancel refunds it but does not unsell it); a
 * cancellation is an order that ended CANCELLED, with what payments refunded for it.
 */
export async function expectedStreamResults(subject: InvariantSubject): Promise<ExpectedStreamResults> {
  const { query, catalogue, placed } = subject;
  const ids = placed.map((order) => order.id);
  const sold = await query<{ id: string; customer_id: string; total_cents: string }>(
    'orders',
    `SELECT id, customer_id, total_cents FROM customer_order
      WHERE id = ANY($1) AND id IN (SELECT order_id FROM order_status_change WHERE status = 'CONFIRMED')`,
    [ids],
  );
  const cancelled = await query<{ id: string; customer_id: string }>(
    'orders',
    `SELECT id, customer_id FROM customer_order WHERE id = ANY($1) AND status = 'CANCELLED'`,
    [ids],
  );
  const refunds = await query<{ order_id: string; refunded_cents: string }>(
    'payments',
    'SELECT order_id, refunded_cents FROM payment WHERE order_id = ANY($1)',
    [ids],
  );
  const refunded = new Map(refunds.map((payment) => [payment.order_id, Number(payment.refunded_cents)]));
  const soldIds = new Set(sold.map((order) => order.id));
  const price = new Map(catalogue.products.map((product) => [product.sku, product.priceCents]));

  const skus: Record<string, SkuTotals> = {};
  for (const order of placed.filter(({ id }) => soldIds.has(id))) {
    for (const { sku, quantity } of order.items) {
      const totals = skus[sku] ?? { orders: 0, units: 0, revenueCents: 0 };
      skus[sku] = {
        orders: totals.orders + 1,
        units: totals.units + quantity,
        revenueCents: totals.revenueCents + quantity * price.get(sku)!,
      };
    }
  }
  const customers: ExpectedStreamResults['customers'] = {};
  const customerOf = (id: string) =>
    (customers[id] ??= { orders: 0, spentCents: 0, cancellations: 0, refundedCents: 0 });
  for (const order of sold) {
    const totals = customerOf(order.customer_id);
    totals.orders += 1;
    totals.spentCents += Number(order.total_cents);
  }
  for (const order of cancelled) {
    const totals = customerOf(order.customer_id);
    totals.cancellations += 1;
    totals.refundedCents += refunded.get(order.id) ?? 0;
  }
  return { skus, customers };
}

/** Reads what the gateway serves from the processor's results until it equals `expected` exactly. */
export async function expectStreamResults(
  get: <Body>(path: string) => Promise<HttpResponse<Body>>,
  expected: ExpectedStreamResults,
  since: Date,
  timeoutMs = 240_000,
): Promise<void> {
  // A 1-minute window is reported once it has closed (its end plus the processor's grace period).
  await eventually(
    async () => {
      const actual: Record<string, SkuTotals> = {};
      for (const sku of Object.keys(expected.skus)) {
        const minute = new Date(Math.floor(since.getTime() / 60_000) * 60_000).toISOString();
        const response = await get<SkuSalesView>(`/analytics/skus?sku=${sku}&since=${minute}&limit=5000`);
        expect(response.status).toBe(200);
        actual[sku] = response.body.items.reduce(
          (sum, window) => ({
            orders: sum.orders + window.orders,
            units: sum.units + window.units,
            revenueCents: sum.revenueCents + window.revenueCents,
          }),
          { orders: 0, units: 0, revenueCents: 0 },
        );
      }
      expect(actual).toEqual(expected.skus);
    },
    { timeoutMs, intervalMs: 2_000 },
  );
  await eventually(
    async () => {
      const actual: ExpectedStreamResults['customers'] = {};
      for (const customerId of Object.keys(expected.customers)) {
        const response = await get<CustomerTotalsView>(`/analytics/customers/${customerId}`);
        expect({ customerId, status: response.status }).toEqual({ customerId, status: 200 });
        const { orders, spentCents, cancellations, refundedCents } = response.body;
        actual[customerId] = { orders, spentCents, cancellations, refundedCents };
      }
      expect(actual).toEqual(expected.customers);
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
}
