import type { NotificationKind, WebhookDelivery } from '@orderflow/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'notification' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'text' })
  webhook: WebhookDelivery;

  @Column({ name: 'webhook_attempts', type: 'integer' })
  webhookAttempts: number;

  /** Set by the service in milliseconds, the precision of the page cursor. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
