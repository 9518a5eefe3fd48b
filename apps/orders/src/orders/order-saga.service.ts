import { Injectable, Logger } from '@nestjs/common';
import {
  PaymentChargedMessage,
  PaymentDeclinedMessage,
  PaymentRefundedMessage,
  StockRejectedMessage,
  StockReleasedMessage,
  StockReservedMessage,
} from '@orderflow/contracts';
import { MessageEnvelope } from '@orderflow/contracts';
import { MessageTransactions, originOf } from '@orderflow/messaging';
import { OrderLifecycle } from './order-lifecycle';
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
    return this.react(message, orderId, (order) => order.stockReserved(items, totalCents));
  }

  onStockRejected(message: StockRejectedMessage): Promise<void> {
    return this.react(message, message.payload.orderId, (order) => order.stockRejected());
  }

  onStockReleased(message: StockReleasedMessage): Promise<void> {
    return this.react(message, message.payload.orderId, (order) => order.stockReleased());
  }

  onPaymentCharged(message: PaymentChargedMessage): Promise<void> {
    return this.react(message, message.payload.orderId, (order) => order.paymentCharged());
  }

  onPaymentDeclined(message: PaymentDeclinedMessage): Promise<void> {
    return this.react(message, message.payload.orderId, (order) => order.paymentDeclined());
  }

  onPaymentRefunded(message: PaymentRefundedMessage): Promise<void> {
    const { orderId, amountCents } = message.payload;
    return this.react(message, orderId, (order) => order.paymentRefunded(amountCents));
  }

  private async react(
    message: MessageEnvelope,
    orderId: string,
    apply: (order: OrderLifecycle) => void,
  ): Promise<void> {
    await this.transactions.runOnce(message, async ({ manager, publish }) => {
      const order = await this.orders.lockForUpdate(manager, orderId);
      if (!order) {
        this.logger.warn(`${message.type} for unknown order ${orderId} ignored`);
        return;
      }
      const lifecycle = new OrderLifecycle(order);
      apply(lifecycle);
      if (!lifecycle.hasChanges) return; // a duplicate or late message
      await this.orders.saveChanges(manager, lifecycle);
      publish(...outgoingMessages(lifecycle, originOf(message)));
    });
  }
}
