import { Matches } from 'class-validator';
import { ID_PATTERN, PageRequest } from './common';

export class ListNotificationsRequest extends PageRequest {
  @Matches(ID_PATTERN, { message: 'customerId must be 1-64 letters, digits, dashes or underscores' })
  customerId: string;
}

export type NotificationKind = 'ORDER_CONFIRMED' | 'ORDER_CANCELLED';
export type WebhookDelivery = 'NOT_CONFIGURED' | 'PENDING' | 'DELIVERED' | 'FAILED';

export interface NotificationView {
  id: string;
  customerId: string;
  orderId: string;
  kind: NotificationKind;
  message: string;
  webhook: WebhookDelivery;
  createdAt: string;
}
