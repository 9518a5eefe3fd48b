import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { OrderConfirmedMessage, OrderCreatedMessage, OrderStatusChangedMessage, Topics } from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { DashboardService } from './dashboard.service';

/**
 * Order events for the dashboard, in this instance's own group from the latest offset (see main.ts).
 * Nest chains several event handlers of one pattern, so the status waiters still get theirs.
 */
@Controller()
export class DashboardEventsController {
  constructor(private readonly dashboard: DashboardService) {}

  @EventPattern(Topics.OrderCreated)
  onCreated(@ValidPayload() message: OrderCreatedMessage): void {
    this.dashboard.created(message);
  }

  @EventPattern(Topics.OrderStatusChanged)
  onStatusChanged(@ValidPayload() message: OrderStatusChangedMessage): void {
    this.dashboard.statusChanged(message);
  }

  @EventPattern(Topics.OrderConfirmed)
  onConfirmed(@ValidPayload() message: OrderConfirmedMessage): void {
    this.dashboard.confirmed(message);
  }
}
