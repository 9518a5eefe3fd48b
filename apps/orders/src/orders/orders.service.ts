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
import { OrderEntity } from './order.entity';
import { OrdersRepository } from './orders.repository';
import { requestFingerprint } from './request-fingerprint';

const UNIQUE_VIOLATION = '23505';

/**
 * How long an Idempotency-Key stands for the order it placed (docs/saga.md): a request with it in
 * that time is answered with that order, or refused if it is another request; after it, the key may
 * place a new order.
 */
export const IDEMPOTENCY_KEY_WINDOW_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly transactions: MessageTransactions,
  ) {}

  /**
   * Stores the order as PENDING and starts the saga. An idempotency key seen within its window returns
   * the order it placed if the request is the same, and is refused if it is not (the first order stays
   * as it was). Requests with one key never run side by side: they are keyed by customer, so one
   * partition takes them in turn, and if two instances overlap in a rebalance, the unique index makes
   * the second wait for the first and then answer as above.
   */
  async create(request: CreateOrderRequest, correlationId: string): Promise<OrderAccepted> {
    assertDistinctSkus(request);
    const idempotencyFingerprint = request.idempotencyKey ? requestFingerprint(request) : undefined;
    try {
      return await this.transactions.run(async ({ manager, publish }) => {
        if (request.idempotencyKey) {
          const earlier = await this.orders.findByIdempotencyKey(manager, request.customerId, request.idempotencyKey);
          if (earlier && isWithinKeyWindow(earlier)) return repeatedRequest(earlier, idempotencyFingerprint);
          if (earlier) await this.orders.releaseIdempotencyKey(manager, earlier.id);
        }
        const lifecycle = OrderLifecycle.create({
          id: randomUUID(),
          correlationId,
          ...request,
          idempotencyFingerprint,
        });
        await this.orders.insert(manager, lifecycle);
        publish(...outgoingMessages(lifecycle, { correlationId }));
        return { id: lifecycle.order.id, status: lifecycle.status };
      });
    } catch (error) {
      // Two requests with the same key raced: the loser answers as a repeat of the winner's.
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

function isWithinKeyWindow(order: OrderEntity): boolean {
  return Date.now() - order.createdAt.getTime() < IDEMPOTENCY_KEY_WINDOW_MS;
}

/** The order an earlier request with this key placed, if this is that request again (or it predates fingerprints). */
function repeatedRequest(earlier: OrderEntity, fingerprint: string | undefined): OrderAccepted {
  if (earlier.idempotencyFingerprint !== null && earlier.idempotencyFingerprint !== fingerprint) {
    throw RequestRejectedError.idempotencyKeyReused(
      'this Idempotency-Key was already used with a different request; send a new key for a new order',
    );
  }
  return { id: earlier.id, status: earlier.status };
}

function assertDistinctSkus(request: CreateOrderRequest): void {
  const skus = request.items.map((item) => item.sku);
  if (new Set(skus).size !== skus.length) {
    throw new RequestRejectedError('INVALID', 'the request is invalid', ['items: each sku may appear only once']);
  }
}
