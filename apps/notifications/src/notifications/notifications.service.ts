import { Injectable, Logger } from '@nestjs/common';
import {
  ListNotificationsRequest,
  MessageEnvelope,
  NotificationView,
  OrderCancelledMessage,
  OrderConfirmedMessage,
  Page,
} from '@orderflow/contracts';
import { MessageTransactions } from '@orderflow/messaging';
import { randomUUID } from 'node:crypto';
import { cancelledNotification, confirmedNotification, NotificationContent } from './notification-content';
import { toNotificationView } from './notification-view';
import { NotificationEntity } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';
import { WebhookDispatcher } from './webhook-dispatcher';

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly transactions: MessageTransactions,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  onOrderConfirmed(message: OrderConfirmedMessage): Promise<void> {
    return this.record(message, confirmedNotification(message.payload));
  }

  onOrderCancelled(message: OrderCancelledMessage): Promise<void> {
    return this.record(message, cancelledNotification(message.payload));
  }

  async list(request: ListNotificationsRequest): Promise<Page<NotificationView>> {
    const page = await this.notifications.page(request);
    return { items: page.items.map(toNotificationView), nextCursor: page.nextCursor };
  }

  /** One notification per order outcome; the webhook goes out only once the row is committed. */
  private async record(message: MessageEnvelope, content: NotificationContent): Promise<void> {
    const notification = Object.assign(new NotificationEntity(), {
      id: randomUUID(),
      ...content,
      webhook: this.webhooks.isConfigured ? 'PENDING' : 'NOT_CONFIGURED',
      webhookAttempts: 0,
      createdAt: new Date(),
    });
    const handled = await this.transactions.runOnce(message, ({ manager }) =>
      this.notifications.insertOnce(manager, notification),
    );
    if (handled.duplicate || !handled.result) {
      this.logger.debug(`${content.kind} for order ${content.orderId} already recorded`);
      return;
    }
    this.webhooks.schedule(handled.result);
  }
}
