import { Injectable } from '@nestjs/common';
import { CreateOrderRequest, ListOrdersRequest, OrderAccepted, OrderView, Page } from '@orderflow/contracts';
import {
  createMessage,
  MessageOrigin,
  MessageTransactions,
  OutgoingMessage,
  RequestRejectedError,
} from '@orderflow/messaging';
import { randomUUID } from 'node:crypto';
import { OrderLifecycle } from './order-lifecycle';
import { toOrderView } from './order-view';
import { OrdersRepository } from './orders.repository';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly transactions: MessageTransactions,
  ) {}

  /** Stores the order as PENDING and starts the saga; a repeated idempotency key returns the first order. */
  async create(request: CreateOrderRequest, correlationId: string): Promise<OrderAccepted> {
    assertDistinctSkus(request);
    try {
      return await this.transactions.run(async ({ manager, publish }) => {
        if (request.idempotencyKey) {
          const existing = await this.orders.findByIdempotencyKey(manager, request.customerId, request.idempotencyKey);
          if (existing) return { id: existing.id, status: existing.status };
        }
        const lifecycle = OrderLifecycle.create({ id: randomUUID(), correlationId, ...request });
        await this.orders.insert(manager, lifecycle);
        publish(...outgoingMessages(lifecycle, { correlationId }));
        return { id: lifecycle.order.id, status: lifecycle.status };
      });
    } catch (error) {
      // Two requests with the same key raced: the loser returns the winner's order.
      if (request.idempotencyKey && (error as { code?: string }).code === UNIQUE_VIOLATION) {
        return this.create(request, correlationId);
      }
      throw error;
    }
  }

  async get(orderId: string): Promise<OrderView> {
    const order = await this.orders.findWithDetails(orderId);
    if (!order) throw RequestRejectedError.notFound(`order ${orderId} does not exist`);
    return toOrderView(order);
  }

  async list(request: ListOrdersRequest): Promise<Page<OrderView>> {
    const page = await this.orders.page(request);
    return { items: page.items.map(toOrderView), nextCursor: page.nextCursor };
  }

  async cancel(orderId: string, correlationId: string): Promise<OrderAccepted> {
    return this.transactions.run(async ({ manager, publish }) => {
      const order = await this.orders.lockForUpdate(manager, orderId);
      if (!order) throw RequestRejectedError.notFound(`order ${orderId} does not exist`);
      const lifecycle = new OrderLifecycle(order);
      if (!lifecycle.apply({ on: 'customer.cancel' })) {
        throw RequestRejectedError.conflict(`order ${orderId} is already ${order.status.toLowerCase()}`);
      }
      await this.orders.saveChanges(manager, lifecycle);
      publish(...outgoingMessages(lifecycle, { correlationId }));
      return { id: order.id, status: lifecycle.status };
    });
  }
}

export function outgoingMessages(lifecycle: OrderLifecycle, origin: MessageOrigin): OutgoingMessage[] {
  const aggregateId = lifecycle.order.id;
  return lifecycle.messages.map(({ topic, payload, version }) =>
    createMessage(topic, payload as never, { aggregateId, aggregateVersion: version }, origin),
  );
}

function assertDistinctSkus(request: CreateOrderRequest): void {
  const skus = request.items.map((item) => item.sku);
  if (new Set(skus).size !== skus.length) {
    throw new RequestRejectedError('INVALID', 'the request is invalid', ['items: each sku may appear only once']);
  }
}
