import { NotificationView } from '@orderflow/contracts';
import { NotificationEntity } from './notification.entity';
import { PendingWebhook } from './webhook-delivery';

export function toNotificationView(notification: NotificationEntity): NotificationView {
  return {
    id: notification.id,
    customerId: notification.customerId,
    orderId: notification.orderId,
    kind: notification.kind,
    message: notification.message,
    webhook: notification.webhook,
    createdAt: notification.createdAt.toISOString(),
  };
}

export function toPendingWebhook(notification: NotificationEntity): PendingWebhook {
  return { notification: toNotificationView(notification), attempts: notification.webhookAttempts };
}
