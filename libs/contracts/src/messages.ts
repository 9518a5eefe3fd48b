import { EnvelopeClass, envelopeOf, MessageEnvelope } from './envelope';
import {
  ProductRegistered,
  ReleaseStock,
  ReserveStock,
  StockRejected,
  StockReleased,
  StockReserved,
} from './inventory.messages';
import { OrderCancelled, OrderConfirmed, OrderCreated, OrderStatusChanged } from './orders.messages';
import { ChargePayment, PaymentCharged, PaymentDeclined, PaymentRefunded, RefundPayment } from './payments.messages';
import { MessageTopic, Topics } from './topics';

// One envelope class per command and event topic. Handlers declare these as their `@Payload()` type,
// so the validation pipe knows what to check.
export class ReserveStockMessage extends envelopeOf(ReserveStock) {}
export class ReleaseStockMessage extends envelopeOf(ReleaseStock) {}
export class ChargePaymentMessage extends envelopeOf(ChargePayment) {}
export class RefundPaymentMessage extends envelopeOf(RefundPayment) {}
export class OrderCreatedMessage extends envelopeOf(OrderCreated) {}
export class OrderStatusChangedMessage extends envelopeOf(OrderStatusChanged) {}
export class OrderConfirmedMessage extends envelopeOf(OrderConfirmed) {}
export class OrderCancelledMessage extends envelopeOf(OrderCancelled) {}
export class StockReservedMessage extends envelopeOf(StockReserved) {}
export class StockRejectedMessage extends envelopeOf(StockRejected) {}
export class StockReleasedMessage extends envelopeOf(StockReleased) {}
export class PaymentChargedMessage extends envelopeOf(PaymentCharged) {}
export class PaymentDeclinedMessage extends envelopeOf(PaymentDeclined) {}
export class PaymentRefundedMessage extends envelopeOf(PaymentRefunded) {}
export class ProductRegisteredMessage extends envelopeOf(ProductRegistered) {}

/** Exhaustive: adding a command or event topic without its message class fails the build. */
export const messageClasses = {
  [Topics.InventoryReserve]: ReserveStockMessage,
  [Topics.InventoryRelease]: ReleaseStockMessage,
  [Topics.PaymentsCharge]: ChargePaymentMessage,
  [Topics.PaymentsRefund]: RefundPaymentMessage,
  [Topics.OrderCreated]: OrderCreatedMessage,
  [Topics.OrderStatusChanged]: OrderStatusChangedMessage,
  [Topics.OrderConfirmed]: OrderConfirmedMessage,
  [Topics.OrderCancelled]: OrderCancelledMessage,
  [Topics.StockReserved]: StockReservedMessage,
  [Topics.StockRejected]: StockRejectedMessage,
  [Topics.StockReleased]: StockReleasedMessage,
  [Topics.PaymentCharged]: PaymentChargedMessage,
  [Topics.PaymentDeclined]: PaymentDeclinedMessage,
  [Topics.PaymentRefunded]: PaymentRefundedMessage,
  [Topics.ProductRegistered]: ProductRegisteredMessage,
} as const satisfies Record<MessageTopic, EnvelopeClass<object>>;

export type PayloadOf<T extends MessageTopic> =
  InstanceType<(typeof messageClasses)[T]> extends MessageEnvelope<infer Payload> ? Payload : never;
