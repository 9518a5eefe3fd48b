import { Injectable } from '@nestjs/common';
import { lockKeyForTransaction } from '@orderflow/persistence';
import { EntityManager } from 'typeorm';
import { Payment, PaymentLedger } from './payment-ledger';

/** The first key of the two-key advisory locks taken per order (its own key space, apart from other locks). */
const ORDER_LOCK_SPACE = 31_030;

/** Plain SQL on the hot path: building TypeORM's queries was a tenth of the app's CPU (issue 21). */
interface PaymentRow {
  order_id: string;
  customer_id: string;
  amount_cents: string;
  status: Payment['status'];
  decline_reason: Payment['declineReason'];
  refunded_cents: string;
}

function toPayment(row: PaymentRow): Payment {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    amountCents: Number(row.amount_cents),
    status: row.status,
    declineReason: row.decline_reason,
    refundedCents: Number(row.refunded_cents),
  };
}

@Injectable()
export class PaymentsRepository {
  /** The ledger of one transaction: every query runs on its `manager`. */
  ledger(manager: EntityManager): PaymentLedger {
    return {
      lockOrder: (orderId) => lockKeyForTransaction(manager, ORDER_LOCK_SPACE, orderId),
      findPayment: async (orderId) => {
        const rows: PaymentRow[] = await manager.query(
          `SELECT order_id, customer_id, amount_cents, status, decline_reason, refunded_cents FROM payment
           WHERE order_id = $1`,
          [orderId],
        );
        return rows.length === 0 ? null : toPayment(rows[0]);
      },
      lockAccount: async (customerId) => {
        const rows: { balance_cents: string }[] = await manager.query(
          `SELECT balance_cents FROM customer_account WHERE id = $1 FOR UPDATE`,
          [customerId],
        );
        return rows.length === 0 ? null : { balanceCents: Number(rows[0].balance_cents) };
      },
      adjustBalance: async (customerId, delta) => {
        // TypeORM answers an UPDATE with its rows and its count.
        const [, updated]: [unknown[], number] = await manager.query(
          `UPDATE customer_account SET balance_cents = balance_cents + $2, updated_at = now() WHERE id = $1`,
          [customerId, delta],
        );
        if (updated === 0) throw new Error(`customer account ${customerId} does not exist`);
      },
      insertPayment: async (payment: Payment) => {
        await manager.query(
          `INSERT INTO payment (order_id, customer_id, amount_cents, status, decline_reason, refunded_cents)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            payment.orderId,
            payment.customerId,
            payment.amountCents,
            payment.status,
            payment.declineReason,
            payment.refundedCents,
          ],
        );
      },
      markRefunded: async (orderId, refundedCents) => {
        await manager.query(
          `UPDATE payment SET status = 'REFUNDED', refunded_cents = $2, updated_at = now() WHERE order_id = $1`,
          [orderId, refundedCents],
        );
      },
    };
  }
}
