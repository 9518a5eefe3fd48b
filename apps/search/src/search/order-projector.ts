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
import { OrderFacts, OrderProjectionRepository } from './order-projection.repository';

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

type OrderTopic = Exclude<ProjectedTopic, typeof Topics.ProductRegistered>;

/**
 * The facts each order event states, one entry per topic (exhaustive: a new projected topic without its
 * entry fails the build). The version is the event's aggregate version, the one an order's status is ordered by.
 */
const orderFacts: { [T in OrderTopic]: (message: ProjectedMessage[T]) => OrderFacts } = {
  [Topics.OrderCreated]: ({ payload, occurredAt, aggregateVersion: version }) => ({
    orderId: payload.orderId,
    occurredAt,
    customerId: payload.customerId,
    status: { status: 'PENDING', version },
    lines: payload.items.map((item) => ({ sku: item.sku, quantity: item.quantity, unitPriceCents: null })),
  }),
  [Topics.OrderStatusChanged]: ({ payload, occurredAt, aggregateVersion: version }) => ({
    orderId: payload.orderId,
    occurredAt,
    customerId: payload.customerId,
    status: { status: payload.status, version },
    cancelReason: payload.reason,
  }),
  [Topics.OrderConfirmed]: ({ payload, occurredAt, aggregateVersion: version }) => ({
    orderId: payload.orderId,
    occurredAt,
    customerId: payload.customerId,
    status: { status: 'CONFIRMED', version },
    totalCents: payload.totalCents,
  }),
  [Topics.OrderCancelled]: ({ payload, occurredAt, aggregateVersion: version }) => ({
    orderId: payload.orderId,
    occurredAt,
    customerId: payload.customerId,
    status: { status: 'CANCELLED', version },
    cancelReason: payload.reason,
  }),
  // Not an order event: its version is the reserve command's, so it states no status.
  [Topics.StockReserved]: ({ payload, occurredAt }) => ({
    orderId: payload.orderId,
    occurredAt,
    totalCents: payload.totalCents,
    lines: payload.items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
  }),
};

/** Turns each event into the facts it states about an order or a product. */
@Injectable()
export class OrderProjector {
  constructor(private readonly projection: OrderProjectionRepository) {}

  apply<Topic extends ProjectedTopic>(topic: Topic, message: ProjectedMessage[Topic]): Promise<void> {
    if (topic === Topics.ProductRegistered) {
      const { payload, occurredAt } = message as ProductRegisteredMessage;
      return this.projection.mergeProduct({ ...payload, occurredAt });
    }
    // The table's entry for this topic takes this topic's message; TypeScript cannot correlate the two.
    const factsOf = orderFacts[topic as OrderTopic] as (event: ProjectedMessage[OrderTopic]) => OrderFacts;
    return this.projection.mergeOrder(factsOf(message as ProjectedMessage[OrderTopic]));
  }
}
