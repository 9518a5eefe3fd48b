import { Injectable } from '@nestjs/common';
import { ChargePaymentMessage, RefundPaymentMessage } from '@orderflow/contracts';
import { answerCommand, MessageTransactions } from '@orderflow/messaging';
import { chargePayment, refundPayment } from './payment-ledger';
import { PaymentsRepository } from './payments.repository';

/**
 * Handles the saga's payment commands. Each runs once per message (inbox), and its balance change, its
 * payment row and its answer (outbox) commit together.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly transactions: MessageTransactions,
  ) {}

  async charge(message: ChargePaymentMessage): Promise<void> {
    await this.transactions.runOnce(message, async ({ manager, publish }) => {
      publish(answerCommand(message, await chargePayment(this.payments.ledger(manager), message.payload)));
    });
  }

  async refund(message: RefundPaymentMessage): Promise<void> {
    await this.transactions.runOnce(message, async ({ manager, publish }) => {
      publish(answerCommand(message, await refundPayment(this.payments.ledger(manager), message.payload)));
    });
  }
}
