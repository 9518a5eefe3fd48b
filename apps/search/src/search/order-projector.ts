import { Injectable } from '@nestjs/common';
import {
  OrderCancelledMessage,
  OrderConfirmedMessage,
  OrderCreatedMessage,
  OrderStatusChangedMessage,
  ProductRegisteredMessage,
  StockReservedMessage,
  Topics,
} from '@orderflow/contracts';
import { OrderProjectionRepository } from './order-projection.repository';

/** The events the projection is built from, by topic: what the consumer subscribes to and a rebuild replays. */
export const projectedTopics = [
  Topics.OrderCreated,
  Topics.OrderStatusChanged,
  Topics.OrderConfirmed,
  Topics.OrderCancelled,
  Topics.StockReserved,
  Topics.ProductRegistered,
] as const;
export type ProjectedTopic = (typeof projectedTopics)[number];

export type ProjectedMessage = {
  [Topics.OrderCreated]: OrderCreatedMessage;
  [Topics.OrderStatusChanged]: OrderStatusChangedMessage;
  [Topics.OrderConfirmed]: OrderConfirmedMessage;
  [Topics.OrderCancelled]: OrderCancelledMessage;
  [Topics.StockReserved]: StockReservedMessage;
  [Topics.ProductRegistered]: ProductRegisteredMessage;
};

/** Turns each event into the facts it states about an order or a product. */
@Injectable()
export class OrderProjector {
  constructor(private readonly projection: OrderProjectionRepository) {}

  apply<Topic extends ProjectedTopic>(topic: Topic, message: ProjectedMessage[Topic]): Promise<void> {
    const event = message as ProjectedMessage[ProjectedTopic];
    const occurredAt = event.occurredAt;
    const version = event.aggregateVersion;
    switch (topic) {
      case Topics.OrderCreated: {
        const { payload } = event as OrderCreatedMessage;
        return this.projection.mergeOrder({
          orderId: payload.orderId,
          occurredAt,
          customerId: payload.customerId,
          status: { status: 'PENDING', version },
          lines: payload.items.map((item) => ({ sku: item.sku, quantity: item.quantity, unitPriceCents: null })),
        });
      }
      case Topics.OrderStatusChanged: {
        const { payload } = event as OrderStatusChangedMessage;
        return this.projection.mergeOrder({
          orderId: payload.orderId,
          occurredAt,
          customerId: payload.customerId,
          status: { status: payload.status, version },
          cancelReason: payload.reason,
        });
      }
      case Topics.OrderConfirmed: {
        const { payload } = event as OrderConfirmedMessage;
        return this.projection.mergeOrder({
          orderId: payload.orderId,
          occurredAt,
          customerId: payload.customerId,
          status: { status: 'CONFIRMED', version },
          totalCents: payload.totalCents,
        });
      }
      case Topics.OrderCancelled: {
        const { payload } = event as OrderCancelledMessage;
        return this.projection.mergeOrder({
          orderId: payload.orderId,
          occurredAt,
          customerId: payload.customerId,
          status: { status: 'CANCELLED', version },
          cancelReason: payload.reason,
        });
      }
      case Topics.StockReserved: {
        // Not an order event: its version is the reserve command's, so it states no status.
        const { payload } = event as StockReservedMessage;
        return this.projection.mergeOrder({
          orderId: payload.orderId,
          occurredAt,
          totalCents: payload.totalCents,
          lines: payload.items.map((item) => ({
            sku: item.sku,
            quantity: item.quantity,
            unitPriceCents: item.unitPriceCents,
          })),
        });
      }
      case Topics.ProductRegistered: {
        const { payload } = event as ProductRegisteredMessage;
        return this.projection.mergeProduct({ ...payload, occurredAt });
      }
      default: {
        const unhandled: never = topic;
        throw new Error(`no projection for ${String(unhandled)}`);
      }
    }
  }
}
