import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { OrderConfirmedMessage, OrderCreatedMessage, OrderStatusChangedMessage, Topics } from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { DashboardService } from '../dashboard/dashboard.service';
import { OrdersService } from '../orders/orders.service';

/**
 * The order events this gateway instance consumes, in a group of its own from the latest offset (see
 * main.ts): every instance sees every change. One handler per topic, validated once, for both users:
 * the requests waiting for a status (OrdersService) and the dashboard.
 */
@Controller()
export class OrderEventsController {
  constructor(
    private readonly orders: OrdersService,
    private readonly dashboard: DashboardService,
  ) {}

  @EventPattern(Topics.OrderCreated)
  onCreated(@ValidPayload() message: OrderCreatedMessage): void {
    this.dashboard.created(message);
  }

  @EventPattern(Topics.OrderStatusChanged)
  onStatusChanged(@ValidPayload() message: OrderStatusChangedMessage): void {
    this.orders.statusChanged(message.payload.orderId, message.payload.status);
    this.dashboard.statusChanged(message);
  }

  @EventPattern(Topics.OrderConfirmed)
  onConfirmed(@ValidPayload() message: OrderConfirmedMessage): void {
    this.dashboard.confirmed(message);
  }
}
