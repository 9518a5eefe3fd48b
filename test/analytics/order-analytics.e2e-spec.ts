import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { CancellationsView, CustomerTotalsView, OrderView, SkuSalesView, TopSkusView } from '@orderflow/contracts';
import { CancelReasons, Topics } from '@orderflow/contracts';
import type { AppProcess } from '../../tools/system/app-process';
import { eventually } from '../support/eventually';
import { createCustomer, createProduct, orderReaching, placeOrder, uniqueSku } from '../support/fixtures';
import { SystemUnderTest } from '../support/system-under-test';
import { StreamsProcessOfThisRun } from './streams-process';

const ORDERS = 200;
const MINUTE = 60_000;

interface PlannedOrder {
  customerId: string;
  items: { sku: string; quantity: number }[];
  outcome: 'CONFIRMED' | 'OUT_OF_STOCK' | 'PAYMENT_DECLINED';
}

interface SkuWindow {
  orders: number;
  units: number;
  revenueCents: number;
}

interface Cancellation {
  reason: string;
  at: number;
}

function minuteOf(timestamp: number): string {
  return new Date(Math.floor(timestamp / MINUTE) * MINUTE).toISOString();
}

/**
 * An order.cancelled record as the processor counts it (OrderEvent.parse): the fields it reads are
 * there, and the reason is one the analytics service stores. Anything else (a poison suite's) is not counted.
 */
function cancellationOf(message: KafkaMessage): { orderId: string; reason: string } | undefined {
  try {
    const envelope = JSON.parse(message.value?.toString() ?? '');
    const payload = envelope.payload ?? {};
    const isText = (value: unknown) => typeof value === 'string' && value.length > 0;
    const isCounted =
      envelope.type === Topics.OrderCancelled &&
      isText(envelope.eventId) &&
      [payload.orderId, payload.customerId, payload.reason].every(isText) &&
      Number.isInteger(payload.refundedCents) &&
      payload.refundedCents >= 0 &&
      (CancelReasons as readonly string[]).includes(payload.reason);
    return isCounted ? { orderId: payload.orderId, reason: payload.reason } : undefined;
  } catch {
    return undefined;
  }
}

/** Cancellations per `reason@windowStart` of the given minutes. */
function countPerReasonAndMinute(cancellations: Iterable<Cancellation>, minutes: Set<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { reason, at } of cancellations) {
    const minute = minuteOf(at);
    if (minutes.has(minute)) counts[`${reason}@${minute}`] = (counts[`${reason}@${minute}`] ?? 0) + 1;
  }
  return counts;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

describe('order analytics (Kafka Streams → analytics service → gateway)', () => {
  const system = new SystemUnderTest();
  const http = system.http;
  let restarted: AppProcess | undefined;

  afterAll(async () => {
    await restarted?.stop();
    await system.close();
  });

  it('counts 200 orders per SKU and minute exactly, with the stream processor killed and restarted mid-run', async () => {
    // Eight SKUs with distinct prices, one of them out of stock; a customer who cannot pay.
    const prices = [1250, 990, 4500, 300, 2000, 750, 120, 5600];
    const skus = await Promise.all(
      prices.map(async (priceCents, index) => {
        const product = await createProduct(http, {
          sku: uniqueSku('AN'),
          priceCents,
          stock: index === 7 ? 0 : 1_000_000,
        });
        return { sku: product.sku, priceCents };
      }),
    );
    const soldOut = skus[7].sku;
    const payers = await Promise.all([1, 2, 3].map(() => createCustomer(http, 1_000_000_000)));
    const broke = await createCustomer(http, 0);

    const plan: PlannedOrder[] = Array.from({ length: ORDERS }, (_, index) => {
      if (index % 10 === 9)
        return { customerId: broke.id, items: [{ sku: skus[0].sku, quantity: 1 }], outcome: 'PAYMENT_DECLINED' };
      if (index % 10 === 8) {
        return {
          customerId: payers[0].id,
          items: [
            { sku: soldOut, quantity: 1 },
            { sku: skus[1].sku, quantity: 2 },
          ],
          outcome: 'OUT_OF_STOCK',
        };
      }
      // Units differ per SKU (index % 7 picks the SKUs, quantities grow with the SKU), so the top five are distinct.
      const first = skus[index % 7];
      const second = skus[(index + 3) % 7];
      return {
        customerId: payers[index % 3].id,
        items: [
          { sku: first.sku, quantity: 5 + (index % 7) * 3 },
          { sku: second.sku, quantity: 1 + (index % 4) },
        ],
        outcome: 'CONFIRMED',
      };
    });

    const processor = StreamsProcessOfThisRun.find('order-analytics', system.environment.logDir);
    const placed = await inParallel(plan, 8, async (order, index) => {
      if (index === ORDERS / 2) {
        await processor.kill();
        // Half of the orders flow while it is down; it resumes from its last committed transaction.
        void processor.restart('order-analytics', system.environment.logDir).then((process) => (restarted = process));
      }
      return (await placeOrder(http, { customerId: order.customerId, items: order.items })).id;
    });
    const outcomes: OrderView[] = await inParallel(placed, 8, (id) => orderReaching(http, id));
    outcomes.forEach((order, index) => {
      const planned = plan[index].outcome;
      expect([order.status, order.cancelReason ?? 'CONFIRMED']).toEqual(
        planned === 'CONFIRMED' ? ['CONFIRMED', 'CONFIRMED'] : ['CANCELLED', planned],
      );
    });
    await eventually(() => expect(restarted?.isRunning).toBe(true), { timeoutMs: 120_000, intervalMs: 500 });

    // The event time of a sale is its order.confirmed record's timestamp: read them as the processor does.
    const confirmedAt = await confirmationTimes(
      new Set(placed.filter((_, index) => plan[index].outcome === 'CONFIRMED')),
    );
    const expected = new Map<string, SkuWindow>();
    const unitsPerSku = new Map<string, number>();
    placed.forEach((id, index) => {
      if (plan[index].outcome !== 'CONFIRMED') return;
      const window = minuteOf(confirmedAt.get(id)!);
      for (const item of plan[index].items) {
        const key = `${item.sku}@${window}`;
        const totals = expected.get(key) ?? { orders: 0, units: 0, revenueCents: 0 };
        const priceCents = skus.find(({ sku }) => sku === item.sku)!.priceCents;
        expected.set(key, {
          orders: totals.orders + 1,
          units: totals.units + item.quantity,
          revenueCents: totals.revenueCents + item.quantity * priceCents,
        });
        unitsPerSku.set(item.sku, (unitsPerSku.get(item.sku) ?? 0) + item.quantity);
      }
    });

    const since = minuteOf(Math.min(...confirmedAt.values()));
    const ours = new Set(skus.map(({ sku }) => sku));
    await eventually(
      async () => {
        const response = await http.get<SkuSalesView>(`/analytics/skus?since=${since}&limit=5000`);
        expect(response.status).toBe(200);
        const actual = new Map(
          response.body.items
            .filter((row) => ours.has(row.sku))
            .map((row) => [
              `${row.sku}@${row.windowStart}`,
              { orders: row.orders, units: row.units, revenueCents: row.revenueCents },
            ]),
        );
        expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
      },
      { timeoutMs: 240_000, intervalMs: 1_000 },
    );

    // Cancellations per reason and minute. Other suites' orders may have been cancelled in the same
    // minutes, so the expected counts are those of every order.cancelled record in the minutes of ours,
    // read live while the windows close: the first record of each order, at its timestamp.
    const cancelled = placed.filter((_, index) => plan[index].outcome !== 'CONFIRMED');
    const firstCancellations = new Map<string, Cancellation>();
    const stopReading = await readTopic(Topics.OrderCancelled, (message) => {
      const cancellation = cancellationOf(message);
      if (cancellation && !firstCancellations.has(cancellation.orderId)) {
        firstCancellations.set(cancellation.orderId, { reason: cancellation.reason, at: Number(message.timestamp) });
      }
    });
    try {
      await eventually(() => expect(cancelled.filter((id) => !firstCancellations.has(id))).toEqual([]), {
        timeoutMs: 60_000,
      });
      const minutes = new Set(cancelled.map((id) => minuteOf(firstCancellations.get(id)!.at)));
      const earliest = [...minutes].sort()[0];
      await eventually(
        async () => {
          const response = await http.get<CancellationsView>(`/analytics/cancellations?since=${earliest}&limit=5000`);
          expect(response.status).toBe(200);
          const actual = Object.fromEntries(
            response.body.items
              .filter((row) => minutes.has(row.windowStart))
              .map((row) => [`${row.reason}@${row.windowStart}`, row.count]),
          );
          expect(actual).toEqual(countPerReasonAndMinute(firstCancellations.values(), minutes));
        },
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
      // One reason of one window: the filters of the route.
      const declined = placed[plan.findIndex((order) => order.outcome === 'PAYMENT_DECLINED')];
      const window = minuteOf(firstCancellations.get(declined)!.at);
      const oneWindow = await http.get<CancellationsView>(
        `/analytics/cancellations?window=${window}&reason=PAYMENT_DECLINED`,
      );
      expect(oneWindow.body.items).toEqual([
        {
          reason: 'PAYMENT_DECLINED',
          windowStart: window,
          windowEnd: new Date(Date.parse(window) + MINUTE).toISOString(),
          count: countPerReasonAndMinute(firstCancellations.values(), new Set([window]))[`PAYMENT_DECLINED@${window}`],
        },
      ]);
    } finally {
      await stopReading();
    }

    // The earliest-closing 5-minute window that holds every sale of the run.
    const windowStart = new Date(Date.parse(minuteOf(Math.max(...confirmedAt.values()))) - 4 * MINUTE).toISOString();
    expect(Date.parse(windowStart)).toBeLessThanOrEqual(Math.min(...confirmedAt.values()));
    const topFive = [...unitsPerSku.entries()]
      .map(([sku, units]) => ({ sku, units }))
      .sort((a, b) => b.units - a.units || a.sku.localeCompare(b.sku))
      .slice(0, 5);
    await eventually(
      async () => {
        const response = await http.get<TopSkusView>(`/analytics/top-skus?window=${windowStart}`);
        expect(response.status).toBe(200);
        expect(response.body.skus).toEqual(topFive);
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );

    // Running totals per customer: confirmed orders and what they spent.
    const payer = payers[0].id;
    const payerOrders = outcomes.filter((order) => order.customerId === payer);
    const confirmedOfPayer = payerOrders.filter((order) => order.status === 'CONFIRMED');
    await eventually(async () => {
      const response = await http.get<CustomerTotalsView>(`/analytics/customers/${payer}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        customerId: payer,
        orders: confirmedOfPayer.length,
        spentCents: confirmedOfPayer.reduce((sum, order) => sum + (order.totalCents ?? 0), 0),
        cancellations: payerOrders.length - confirmedOfPayer.length,
        refundedCents: 0,
      });
    });
  }, 600_000);

  it('answers 404 for a customer without orders and 400 for a bad window or reason', async () => {
    expect((await http.get(`/analytics/customers/nobody-${randomUUID().slice(0, 8)}`)).status).toBe(404);
    expect((await http.get('/analytics/skus?window=yesterday')).status).toBe(400);
    expect((await http.get('/analytics/cancellations?reason=LOST')).status).toBe(400);
  });

  async function confirmationTimes(orderIds: Set<string>): Promise<Map<string, number>> {
    const times = new Map<string, number>();
    const stopReading = await readTopic(Topics.OrderConfirmed, (message) => {
      const id = message.key?.toString();
      if (id && orderIds.has(id) && !times.has(id)) times.set(id, Number(message.timestamp));
    });
    try {
      await eventually(() => expect(times.size).toBe(orderIds.size), { timeoutMs: 60_000 });
    } finally {
      await stopReading();
    }
    return times;
  }

  /** Reads `topic` from its beginning, as the processor does, until the returned function is called. */
  async function readTopic(topic: string, onMessage: (message: KafkaMessage) => void): Promise<() => Promise<void>> {
    const consumer = system.kafka.consumer({ groupId: `e2e-analytics-${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => onMessage(message) });
    } catch (error) {
      await consumer.disconnect();
      throw error;
    }
    return () => consumer.disconnect();
  }
});
