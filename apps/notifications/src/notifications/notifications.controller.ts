import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import {
  ListNotificationsRequest,
  NotificationView,
  OrderCancelledMessage,
  OrderConfirmedMessage,
  Page,
  Topics,
} from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { NotificationsService } from './notifications.service';

@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern(Topics.OrderConfirmed)
  onOrderConfirmed(@ValidPayload() message: OrderConfirmedMessage): Promise<void> {
    return this.notifications.onOrderConfirmed(message);
  }

  @EventPattern(Topics.OrderCancelled)
  onOrderCancelled(@ValidPayload() message: OrderCancelledMessage): Promise<void> {
    return this.notifications.onOrderCancelled(message);
  }

  @MessagePattern(Topics.NotificationsList)
  list(@ValidPayload() request: ListNotificationsRequest): Promise<Page<NotificationView>> {
    return this.notifications.list(request);
  }
}
