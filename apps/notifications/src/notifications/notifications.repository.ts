import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ListNotificationsRequest, Page, WebhookDelivery } from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { NotificationEntity } from './notification.entity';
import { WebhookStore } from './webhook-delivery';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class NotificationsRepository implements WebhookStore {
  constructor(@InjectRepository(NotificationEntity) private readonly notifications: Repository<NotificationEntity>) {}

  /**
   * Inserts unless this order already has a notification of this kind: a redelivered outcome with a
   * new event id (so past the inbox) still records nothing. Returns the row only when inserted.
   */
  async insertOnce(manager: EntityManager, notification: NotificationEntity): Promise<NotificationEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values(notification)
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0 ? notification : null;
  }

  async recordAttempt(id: string, attempts: number, status: Exclude<WebhookDelivery, 'NOT_CONFIGURED'>): Promise<void> {
    await this.notifications.update({ id }, { webhookAttempts: attempts, webhook: status });
  }

  findPendingWebhooks(): Promise<NotificationEntity[]> {
    return this.notifications.find({ where: { webhook: 'PENDING' }, order: { createdAt: 'ASC' } });
  }

  /** Newest first; the cursor is the (createdAt, id) of the last notification of the previous page. */
  async page(request: ListNotificationsRequest): Promise<Page<NotificationEntity>> {
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const query = this.notifications
      .createQueryBuilder('n')
      .where('n.customer_id = :customerId', { customerId: request.customerId })
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .take(limit + 1);
    const after = request.cursor ? decodeCursor(request.cursor) : null;
    if (after) {
      query.andWhere(
        new Brackets((where) =>
          where.where('n.created_at < :createdAt', after).orWhere('(n.created_at = :createdAt AND n.id < :id)', after),
        ),
      );
    }
    const found = await query.getMany();
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: found.length > limit && last ? encodeCursor(last) : null };
  }
}

function encodeCursor(notification: NotificationEntity): string {
  return Buffer.from(JSON.stringify([notification.createdAt.toISOString(), notification.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) {
      throw new Error('bad cursor');
    }
    return { createdAt: date, id };
  } catch {
    throw new RequestRejectedError('INVALID', 'cursor is not one this API returned');
  }
}
