import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import {
  PaymentChargedMessage,
  PaymentDeclinedMessage,
  PaymentRefundedMessage,
  StockRejectedMessage,
  StockReleasedMessage,
  StockReservedMessage,
  Topics,
} from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { OrderSagaService } from './order-saga.service';

@Controller()
export class OrderSagaController {
  constructor(private readonly saga: OrderSagaService) {}

  @EventPattern(Topics.StockReserved)
  onStockReserved(@ValidPayload() message: StockReservedMessage): Promise<void> {
    return this.saga.onStockReserved(message);
  }

  @EventPattern(Topics.StockRejected)
  onStockRejected(@ValidPayload() message: StockRejectedMessage): Promise<void> {
    return this.saga.onStockRejected(message);
  }

  @EventPattern(Topics.StockReleased)
  onStockReleased(@ValidPayload() message: StockReleasedMessage): Promise<void> {
    return this.saga.onStockReleased(message);
  }

  @EventPattern(Topics.PaymentCharged)
  onPaymentCharged(@ValidPayload() message: PaymentChargedMessage): Promise<void> {
    return this.saga.onPaymentCharged(message);
  }

  @EventPattern(Topics.PaymentDeclined)
  onPaymentDeclined(@ValidPayload() message: PaymentDeclinedMessage): Promise<void> {
    return this.saga.onPaymentDeclined(message);
  }

  @EventPattern(Topics.PaymentRefunded)
  onPaymentRefunded(@ValidPayload() message: PaymentRefundedMessage): Promise<void> {
    return this.saga.onPaymentRefunded(message);
  }
}
