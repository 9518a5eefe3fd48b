import { randomUUID } from 'node:crypto';
import { Topics } from '@orderflow/contracts';
import { OrderLifecycle } from './order-lifecycle';

function newOrder(): OrderLifecycle {
  const created = OrderLifecycle.create({
    id: randomUUID(),
    customerId: 'alice',
    items: [{ sku: 'SKU-1', quantity: 2 }],
    correlationId: 'req-1',
  });
  return new OrderLifecycle(created.order);
}

const topics = (lifecycle: OrderLifecycle) => lifecycle.messages.map((message) => message.topic);
const statuses = (lifecycle: OrderLifecycle) => lifecycle.newHistory.map((change) => change.status);

describe('OrderLifecycle', () => {
  it('creates a PENDING order that asks inventory to reserve its items', () => {
    const created = OrderLifecycle.create({
      id: randomUUID(),
      customerId: 'alice',
      items: [{ sku: 'A', quantity: 1 }],
      correlationId: 'c',
    });
    expect(created.status).toBe('PENDING');
    expect(topics(created)).toEqual([Topics.OrderCreated, Topics.InventoryReserve]);
  });

  it('charges the priced total once stock is reserved, and confirms once paid', () => {
    const order = newOrder();
    order.stockReserved([{ sku: 'SKU-1', quantity: 2, unitPriceCents: 150 }], 300);
    expect(order.status).toBe('STOCK_RESERVED');
    expect(order.messages.find((message) => message.topic === Topics.PaymentsCharge)?.payload).toMatchObject({
      amountCents: 300,
    });
    order.paymentCharged();
    expect(order.status).toBe('CONFIRMED');
    expect(statuses(order)).toEqual(['STOCK_RESERVED', 'PAID', 'CONFIRMED']);
    expect(topics(order)).toContain(Topics.OrderConfirmed);
  });

  it('cancels with OUT_OF_STOCK when the reservation is rejected', () => {
    const order = newOrder();
    order.stockRejected();
    expect(order.status).toBe('CANCELLED');
    expect(order.order.cancelReason).toBe('OUT_OF_STOCK');
    expect(topics(order)).toContain(Topics.OrderCancelled);
  });

  it('releases the stock before cancelling a declined payment', () => {
    const order = newOrder();
    order.stockReserved([{ sku: 'SKU-1', quantity: 2, unitPriceCents: 150 }], 300);
    order.paymentDeclined();
    expect(order.status).toBe('CANCELLING');
    expect(topics(order)).toContain(Topics.InventoryRelease);
    expect(topics(order)).not.toContain(Topics.PaymentsRefund);
    order.stockReleased();
    expect(order.status).toBe('CANCELLED');
    expect(order.order.cancelReason).toBe('PAYMENT_DECLINED');
  });

  it('refunds and restocks a confirmed order cancelled by the customer, then cancels', () => {
    const order = newOrder();
    order.stockReserved([{ sku: 'SKU-1', quantity: 2, unitPriceCents: 150 }], 300);
    order.paymentCharged();
    expect(order.cancel()).toBe('cancelling');
    expect(topics(order)).toEqual(expect.arrayContaining([Topics.InventoryRelease, Topics.PaymentsRefund]));
    order.paymentRefunded(300);
    expect(order.status).toBe('CANCELLING');
    order.stockReleased();
    expect(order.status).toBe('CANCELLED');
    expect(order.order.refundedCents).toBe(300);
  });

  it('remembers one confirmed compensation while it waits for the other', () => {
    const confirmed = newOrder();
    confirmed.stockReserved([{ sku: 'SKU-1', quantity: 2, unitPriceCents: 150 }], 300);
    confirmed.paymentCharged();
    confirmed.cancel();
    const reloaded = new OrderLifecycle(confirmed.order);
    reloaded.stockReleased();
    expect(reloaded.status).toBe('CANCELLING');
    expect(reloaded.hasChanges).toBe(true);
    expect(reloaded.order.awaitingRelease).toBe(false);
  });

  it('ignores late and duplicate saga messages', () => {
    const order = newOrder();
    order.cancel();
    const before = order.messages.length;
    const late = new OrderLifecycle(order.order);
    late.paymentCharged();
    expect(late.hasChanges).toBe(false);
    order.stockReserved([{ sku: 'SKU-1', quantity: 2, unitPriceCents: 150 }], 300);
    order.paymentCharged();
    order.stockRejected();
    expect(order.messages).toHaveLength(before);
    order.stockReleased();
    order.stockReleased();
    expect(statuses(order).filter((status) => status === 'CANCELLED')).toHaveLength(1);
    expect(order.cancel()).toBe('already-cancelled');
  });

  it('tags every message with the order version it describes', () => {
    const order = newOrder();
    order.stockReserved([{ sku: 'SKU-1', quantity: 2, unitPriceCents: 150 }], 300);
    const versions = order.messages.map((message) => message.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(order.order.version).toBe(2);
  });
});
