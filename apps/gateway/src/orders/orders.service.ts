import { Injectable } from '@nestjs/common';
import {
  CreateOrderRequest,
  ListOrdersRequest,
  OrderAccepted,
  OrderStatus,
  OrderView,
  Page,
  Topics,
} from '@orderflow/contracts';
import { RequestClient, RequestRejectedError } from '@orderflow/messaging';
import { mayActFor } from '../auth/ownership';
import type { Principal } from '../auth/principal';
import { OrderStatusWaiters } from './order-status-waiters';

export interface StatusWaitRequest {
  statuses: readonly OrderStatus[];
  timeoutMs: number;
}

/** The orders API of the gateway: each use case is one request to the orders service. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly requests: RequestClient,
    private readonly waiters: OrderStatusWaiters,
  ) {}

  /** Keyed by customer, so that one customer's retried POSTs (same idempotency key) stay in order. */
  create(request: CreateOrderRequest, correlationId: string): Promise<OrderAccepted> {
    return this.requests.request<OrderAccepted>(Topics.OrdersCreate, request, {
      correlationId,
      key: request.customerId,
    });
  }

  /** As `viewer` may see it: another customer's order does not exist for a customer (404, as a missing one). */
  async get(orderId: string, correlationId: string, viewer?: Principal): Promise<OrderView> {
    const order = await this.requests.request<OrderView>(
      Topics.OrdersGet,
      { orderId },
      { correlationId, key: orderId },
    );
    if (viewer && !mayActFor(viewer, order.customerId)) throw orderNotFound(orderId);
    return order;
  }

  /**
   * The order once it is in one of `wait.statuses`, or as it is when the time is up. The waiter is
   * registered before the first read: a change landing between the read and the registration would
   * otherwise never wake us.
   */
  async getWhenStatus(
    orderId: string,
    wait: StatusWaitRequest,
    correlationId: string,
    viewer?: Principal,
  ): Promise<OrderView> {
    const waiter = this.waiters.wait(orderId, wait.statuses, wait.timeoutMs);
    try {
      const current = await this.get(orderId, correlationId, viewer);
      if (wait.statuses.includes(current.status)) return current;
      await waiter.settled;
      return await this.get(orderId, correlationId, viewer);
    } finally {
      waiter.cancel();
    }
  }

  list(request: ListOrdersRequest, correlationId: string): Promise<Page<OrderView>> {
    return this.requests.request<Page<OrderView>>(Topics.OrdersList, request, {
      correlationId,
      key: request.customerId,
    });
  }

  /** A customer cancels their own orders only: another's is not found, and nothing is cancelled. */
  async cancel(orderId: string, correlationId: string, requester?: Principal): Promise<OrderAccepted> {
    if (requester?.kind === 'customer') await this.get(orderId, correlationId, requester);
    return this.requests.request<OrderAccepted>(Topics.OrdersCancel, { orderId }, { correlationId, key: orderId });
  }

  /** From this instance's own status-change consumer. */
  statusChanged(orderId: string, status: OrderStatus): void {
    this.waiters.notify(orderId, status);
  }
}

function orderNotFound(orderId: string): RequestRejectedError {
  return RequestRejectedError.notFound(`order ${orderId} does not exist`);
}
