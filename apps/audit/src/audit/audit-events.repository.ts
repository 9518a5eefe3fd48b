import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ListAuditEventsRequest, Page } from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { Brackets, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEventEntity } from './audit-event.entity';
import { RecordedEvent } from './recorded-event';

const DEFAULT_PAGE_SIZE = 50;
/** An order's saga produces a dozen events; this bounds a timeline read. */
const TIMELINE_LIMIT = 1_000;

interface AuditCursor {
  occurredAt: string;
  sequence: string;
}

@Injectable()
export class AuditEventsRepository {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  /** Exactly once per event id: a redelivered or republished event inserts nothing. True when inserted. */
  async recordOnce(event: RecordedEvent): Promise<boolean> {
    const result = await this.events
      .createQueryBuilder()
      .insert()
      .into(AuditEventEntity)
      .values({ ...event, recordedAt: () => 'now()' } as QueryDeepPartialEntity<AuditEventEntity>)
      .orIgnore()
      .returning(['sequence'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Oldest first; the cursor is the (occurredAt, sequence) of the last event of the previous page. */
  async page(request: ListAuditEventsRequest): Promise<Page<AuditEventEntity>> {
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const query = this.events
      .createQueryBuilder('e')
      .orderBy('e.occurred_at', 'ASC')
      .addOrderBy('e.sequence', 'ASC')
      .take(limit + 1);
    if (request.orderId) query.andWhere('e.order_id = :orderId', { orderId: request.orderId });
    if (request.correlationId) query.andWhere('e.correlation_id = :correlationId', request);
    if (request.type) query.andWhere('e.type = :type', request);
    if (request.from) query.andWhere('e.occurred_at >= :from', request);
    if (request.to) query.andWhere('e.occurred_at < :to', request);
    const after = request.cursor ? decodeCursor(request.cursor) : null;
    if (after) {
      query.andWhere(
        new Brackets((where) =>
          where
            .where('e.occurred_at > :occurredAt', after)
            .orWhere('(e.occurred_at = :occurredAt AND e.sequence > :sequence)', after),
        ),
      );
    }
    const found = await query.getMany();
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: found.length > limit && last ? encodeCursor(last) : null };
  }

  forOrder(orderId: string): Promise<AuditEventEntity[]> {
    return this.events.find({
      where: { orderId },
      order: { occurredAt: 'ASC', sequence: 'ASC' },
      take: TIMELINE_LIMIT,
    });
  }
}

function encodeCursor(event: AuditEventEntity): string {
  return Buffer.from(JSON.stringify([event.occurredAt.toISOString(), String(event.sequence)])).toString('base64url');
}

function decodeCursor(cursor: string): AuditCursor {
  try {
    const [occurredAt, sequence] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    if (Number.isNaN(new Date(occurredAt).getTime()) || !/^\d{1,19}$/.test(sequence)) throw new Error('bad cursor');
    return { occurredAt, sequence };
  } catch {
    throw new RequestRejectedError('INVALID', 'cursor is not one this API returned');
  }
}
