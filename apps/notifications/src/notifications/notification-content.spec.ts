import { cancelledNotification, confirmedNotification, formatCents } from './notification-content';

const orderId = '0b7c8d4e-5f60-4a71-8b92-a3b4c5d6e7f8';

describe('notification content', () => {
  it('tells the customer the confirmed total', () => {
    expect(confirmedNotification({ orderId, customerId: 'alice', totalCents: 123456 })).toEqual({
      orderId,
      customerId: 'alice',
      kind: 'ORDER_CONFIRMED',
      message: `Your order ${orderId} is confirmed. Total charged: 1,234.56.`,
    });
  });

  it('explains a cancellation and mentions the refund only when there is one', () => {
    const declined = cancelledNotification({
      orderId,
      customerId: 'bob',
      reason: 'PAYMENT_DECLINED',
      refundedCents: 0,
    });
    expect(declined.kind).toBe('ORDER_CANCELLED');
    expect(declined.message).toBe(`Your order ${orderId} was cancelled: the payment was declined.`);

    const refunded = cancelledNotification({
      orderId,
      customerId: 'bob',
      reason: 'CUSTOMER_CANCELLED',
      refundedCents: 300,
    });
    expect(refunded.message).toBe(`Your order ${orderId} was cancelled: you cancelled it. 3.00 has been refunded.`);
  });

  it('gives the same (order, kind) for a redelivered outcome, whatever its event id', () => {
    // The table's unique (order_id, kind) turns this into one row per outcome.
    const first = cancelledNotification({ orderId, customerId: 'c', reason: 'OUT_OF_STOCK', refundedCents: 0 });
    const again = cancelledNotification({ orderId, customerId: 'c', reason: 'OUT_OF_STOCK', refundedCents: 0 });
    expect([again.orderId, again.kind]).toEqual([first.orderId, first.kind]);
    expect(confirmedNotification({ orderId, customerId: 'c', totalCents: 1 }).kind).not.toBe(first.kind);
  });

  it('formats cents', () => {
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(100)).toBe('1.00');
    expect(formatCents(100_000_000_00)).toBe('100,000,000.00');
  });
});
