import { Injectable } from '@nestjs/common';
import { ChargePaymentMessage, MessageEnvelope, RefundPaymentMessage } from '@orderflow/contracts';
import { createMessage, MessageTransactions, originOf, OutgoingMessage } from '@orderflow/messaging';
import { chargePayment, PaymentOutcome, refundPayment } from './payment-ledger';
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
      publish(answer(message, await chargePayment(this.payments.ledger(manager), message.payload)));
    });
  }

  async refund(message: RefundPaymentMessage): Promise<void> {
    await this.transactions.runOnce(message, async ({ manager, publish }) => {
      publish(answer(message, await refundPayment(this.payments.ledger(manager), message.payload)));
    });
  }
}

/** Keyed by the order, at the version of the command it answers. */
function answer(command: MessageEnvelope, outcome: PaymentOutcome): OutgoingMessage {
  const subject = { aggregateId: outcome.payload.orderId, aggregateVersion: command.aggregateVersion };
  return createMessage(outcome.topic, outcome.payload, subject, originOf(command));
}
