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
import { RequestClient } from '@orderflow/messaging';
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

  get(orderId: string, correlationId: string): Promise<OrderView> {
    return this.requests.request<OrderView>(Topics.OrdersGet, { orderId }, { correlationId, key: orderId });
  }

  /**
   * The order once it is in one of `wait.statuses`, or as it is when the time is up. The waiter is
   * registered before the first read: a change landing between the read and the registration would
   * otherwise never wake us.
   */
  async getWhenStatus(orderId: string, wait: StatusWaitRequest, correlationId: string): Promise<OrderView> {
    const waiter = this.waiters.wait(orderId, wait.statuses, wait.timeoutMs);
    try {
      const current = await this.get(orderId, correlationId);
      if (wait.statuses.includes(current.status)) return current;
      await waiter.settled;
      return await this.get(orderId, correlationId);
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

  cancel(orderId: string, correlationId: string): Promise<OrderAccepted> {
    return this.requests.request<OrderAccepted>(Topics.OrdersCancel, { orderId }, { correlationId, key: orderId });
  }

  /** From this instance's own status-change consumer. */
  statusChanged(orderId: string, status: OrderStatus): void {
    this.waiters.notify(orderId, status);
  }
}
