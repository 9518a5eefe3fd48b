import type { CancelReason, NotificationKind, OrderCancelled, OrderConfirmed } from '@orderflow/contracts';

/** What a customer is told about one order outcome. One per (orderId, kind): the table enforces it. */
export interface NotificationContent {
  customerId: string;
  orderId: string;
  kind: NotificationKind;
  message: string;
}

const cancelReasonText: Record<CancelReason, string> = {
  OUT_OF_STOCK: 'some items are out of stock',
  PAYMENT_DECLINED: 'the payment was declined',
  CUSTOMER_CANCELLED: 'you cancelled it',
};

export function confirmedNotification(event: OrderConfirmed): NotificationContent {
  return {
    customerId: event.customerId,
    orderId: event.orderId,
    kind: 'ORDER_CONFIRMED',
    message: `Your order ${event.orderId} is confirmed. Total charged: ${formatCents(event.totalCents)}.`,
  };
}

export function cancelledNotification(event: OrderCancelled): NotificationContent {
  const refund = event.refundedCents > 0 ? ` ${formatCents(event.refundedCents)} has been refunded.` : '';
  return {
    customerId: event.customerId,
    orderId: event.orderId,
    kind: 'ORDER_CANCELLED',
    message: `Your order ${event.orderId} was cancelled: ${cancelReasonText[event.reason]}.${refund}`,
  };
}

/** Integer cents as a decimal amount, without a currency: 123456 → "1,234.56". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(Math.trunc(cents));
  const units = Math.floor(absolute / 100).toLocaleString('en-US');
  return `${sign}${units}.${String(absolute % 100).padStart(2, '0')}`;
}
