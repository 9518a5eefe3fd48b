import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerAccountEntity } from '../customers/customer-account.entity';
import { Payment, PaymentLedger } from './payment-ledger';
import { PaymentEntity } from './payment.entity';

/** The first key of the two-key advisory locks taken per order (its own key space, apart from other locks). */
const ORDER_LOCK_SPACE = 31_030;

@Injectable()
export class PaymentsRepository {
  /** The ledger of one transaction: every query runs on its `manager`. */
  ledger(manager: EntityManager): PaymentLedger {
    return {
      lockOrder: async (orderId) => {
        await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORDER_LOCK_SPACE, orderId]);
      },
      findPayment: (orderId) => manager.findOneBy(PaymentEntity, { orderId }),
      lockAccount: (customerId) =>
        manager.findOne(CustomerAccountEntity, { where: { id: customerId }, lock: { mode: 'pessimistic_write' } }),
      adjustBalance: async (customerId, delta) => {
        const result = await manager.increment(CustomerAccountEntity, { id: customerId }, 'balanceCents', delta);
        if (!result.affected) throw new Error(`customer account ${customerId} does not exist`);
      },
      insertPayment: async (payment: Payment) => {
        await manager.insert(PaymentEntity, payment);
      },
      markRefunded: async (orderId, refundedCents) => {
        await manager.update(PaymentEntity, { orderId }, { status: 'REFUNDED', refundedCents });
      },
    };
  }
}
