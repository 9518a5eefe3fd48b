import { PaymentDeclineReason, PayloadOf, Topics } from '@orderflow/contracts';
import { PaymentEntity } from './payment.entity';

export type Payment = Pick<
  PaymentEntity,
  'orderId' | 'customerId' | 'amountCents' | 'status' | 'declineReason' | 'refundedCents'
>;

/** What charging and refunding need from storage, all inside the transaction of the handled command. */
export interface PaymentLedger {
  /** Serializes the commands of one order: charge and refund come on different topics and may run at once. */
  lockOrder(orderId: string): Promise<void>;
  findPayment(orderId: string): Promise<Payment | null>;
  /** The account's balance, its row locked FOR UPDATE; null for an unknown customer. */
  lockAccount(customerId: string): Promise<{ balanceCents: number } | null>;
  /** Adds `delta` (negative to debit) to the balance of an account that exists. */
  adjustBalance(customerId: string, delta: number): Promise<void>;
  insertPayment(payment: Payment): Promise<void>;
  markRefunded(orderId: string, refundedCents: number): Promise<void>;
}

type OutcomeTopic = typeof Topics.PaymentCharged | typeof Topics.PaymentDeclined | typeof Topics.PaymentRefunded;

/** The event payments answers a command with. */
export type PaymentOutcome = { [T in OutcomeTopic]: { topic: T; payload: PayloadOf<T> } }[OutcomeTopic];

/** Null when the charge may go through. */
export function declineReasonFor(
  account: { balanceCents: number } | null,
  amountCents: number,
): PaymentDeclineReason | null {
  if (!account) return 'UNKNOWN_CUSTOMER';
  if (account.balanceCents < amountCents) return 'INSUFFICIENT_FUNDS';
  return null;
}

/**
 * Charges the customer or declines, once per order. A charge for an order already answered (a redelivery
 * with a new event id, or one that follows a refund) gets that answer again and moves no money.
 */
export async function chargePayment(
  ledger: PaymentLedger,
  command: PayloadOf<typeof Topics.PaymentsCharge>,
): Promise<PaymentOutcome> {
  const { orderId, customerId, amountCents } = command;
  await ledger.lockOrder(orderId);
  const existing = await ledger.findPayment(orderId);
  if (existing) return repeatedChargeOutcome(existing);

  const reason = declineReasonFor(await ledger.lockAccount(customerId), amountCents);
  if (reason) {
    await ledger.insertPayment({
      orderId,
      customerId,
      amountCents,
      status: 'DECLINED',
      declineReason: reason,
      refundedCents: 0,
    });
    return declined(orderId, customerId, reason);
  }
  await ledger.adjustBalance(customerId, -amountCents);
  await ledger.insertPayment({
    orderId,
    customerId,
    amountCents,
    status: 'CHARGED',
    declineReason: null,
    refundedCents: 0,
  });
  return { topic: Topics.PaymentCharged, payload: { orderId, customerId, amountCents } };
}

/**
 * Credits a charge back once. Without a payment the refund leaves a VOIDED tombstone (amount 0), so a
 * charge that arrives later is declined instead of taking money for a cancelled order.
 */
export async function refundPayment(
  ledger: PaymentLedger,
  command: PayloadOf<typeof Topics.PaymentsRefund>,
): Promise<PaymentOutcome> {
  const { orderId } = command;
  await ledger.lockOrder(orderId);
  const existing = await ledger.findPayment(orderId);
  if (!existing) {
    await ledger.insertPayment({
      orderId,
      customerId: command.customerId,
      amountCents: 0,
      status: 'VOIDED',
      declineReason: null,
      refundedCents: 0,
    });
    return refunded(orderId, command.customerId, 0);
  }
  switch (existing.status) {
    case 'CHARGED':
      await ledger.adjustBalance(existing.customerId, existing.amountCents);
      await ledger.markRefunded(orderId, existing.amountCents);
      return refunded(orderId, existing.customerId, existing.amountCents);
    case 'DECLINED':
      return refunded(orderId, existing.customerId, 0);
    case 'REFUNDED':
    case 'VOIDED':
      return refunded(orderId, existing.customerId, existing.refundedCents);
    default:
      return unknownStatus(existing.status);
  }
}

function repeatedChargeOutcome(existing: Payment): PaymentOutcome {
  const { orderId, customerId, amountCents } = existing;
  switch (existing.status) {
    case 'CHARGED':
      return { topic: Topics.PaymentCharged, payload: { orderId, customerId, amountCents } };
    case 'DECLINED':
      return declined(orderId, customerId, existing.declineReason ?? 'INSUFFICIENT_FUNDS');
    case 'REFUNDED':
    case 'VOIDED':
      return declined(orderId, customerId, 'ORDER_REFUNDED');
    default:
      return unknownStatus(existing.status);
  }
}

function declined(orderId: string, customerId: string, reason: PaymentDeclineReason): PaymentOutcome {
  return { topic: Topics.PaymentDeclined, payload: { orderId, customerId, reason } };
}

function refunded(orderId: string, customerId: string, amountCents: number): PaymentOutcome {
  return { topic: Topics.PaymentRefunded, payload: { orderId, customerId, amountCents } };
}

function unknownStatus(status: never): never {
  throw new Error(`Unknown payment status ${String(status)}`);
}
