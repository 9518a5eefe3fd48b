import { Injectable, Logger } from '@nestjs/common';
import {
  PaymentChargedMessage,
  PaymentDeclinedMessage,
  PaymentRefundedMessage,
  StockRejectedMessage,
  StockReleasedMessage,
  StockReservedMessage,
  Topics,
} from '@orderflow/contracts';
import { MessageEnvelope } from '@orderflow/contracts';
import { MessageTransactions, originOf } from '@orderflow/messaging';
import { OrderLifecycle } from './order-lifecycle';
import { SagaEvent } from './order-saga-table';
import { OrdersRepository } from './orders.repository';
import { outgoingMessages } from './orders.service';

/**
 * Drives each order through its saga as inventory and payments answer. Every reaction runs once per
 * message (inbox), under the order's row lock, and writes its commands and events to the outbox.
 */
@Injectable()
export class OrderSagaService {
  private readonly logger = new Logger(OrderSagaService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly transactions: MessageTransactions,
  ) {}

  onStockReserved(message: StockReservedMessage): Promise<void> {
    const { orderId, items, totalCents } = message.payload;
    return this.react(message, orderId, { on: Topics.StockReserved, items, totalCents });
  }

  onStockRejected(message: StockRejectedMessage): Promise<void> {
    return this.react(message, message.payload.orderId, { on: Topics.StockRejected });
  }

  onStockReleased(message: StockReleasedMessage): Promise<void> {
    return this.react(message, message.payload.orderId, { on: Topics.StockReleased });
  }

  onPaymentCharged(message: PaymentChargedMessage): Promise<void> {
    return this.react(message, message.payload.orderId, { on: Topics.PaymentCharged });
  }

  onPaymentDeclined(message: PaymentDeclinedMessage): Promise<void> {
    return this.react(message, message.payload.orderId, { on: Topics.PaymentDeclined });
  }

  onPaymentRefunded(message: PaymentRefundedMessage): Promise<void> {
    const { orderId, amountCents } = message.payload;
    return this.react(message, orderId, { on: Topics.PaymentRefunded, amountCents });
  }

  private async react(message: MessageEnvelope, orderId: string, event: SagaEvent): Promise<void> {
    await this.transactions.runOnce(message, async ({ manager, publish }) => {
      const order = await this.orders.lockForUpdate(manager, orderId);
      if (!order) {
        this.logger.warn(`${message.type} for unknown order ${orderId} ignored`);
        return;
      }
      const lifecycle = new OrderLifecycle(order);
      if (!lifecycle.apply(event)) return; // a duplicate or late message: no rule of the saga matches
      await this.orders.saveChanges(manager, lifecycle);
      publish(...outgoingMessages(lifecycle, originOf(message)));
    });
  }
}
