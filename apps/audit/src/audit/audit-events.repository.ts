import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ListAuditEventsRequest, Page } from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { GroupCommit } from '@orderflow/persistence';
import { Brackets, Repository } from 'typeorm';
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
  /** Under load, the inserts of many handlers share one statement and one commit (see GroupCommit). */
  private readonly inserts = new GroupCommit<RecordedEvent>((batch) => this.recordAll(batch));

  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  /** Exactly once per event id: a redelivered or republished event inserts nothing. Resolves once committed. */
  record(event: RecordedEvent): Promise<void> {
    return this.inserts.submit(event);
  }

  /** One statement for the batch, in its order (the sequence follows it); known event ids are skipped. */
  async recordAll(batch: RecordedEvent[]): Promise<void> {
    const rows = batch.map((event) => ({
      event_id: event.eventId,
      type: event.type,
      topic: event.topic,
      partition: event.partition,
      kafka_offset: event.kafkaOffset,
      message_key: event.messageKey,
      occurred_at: event.occurredAt.toISOString(),
      correlation_id: event.correlationId,
      causation_id: event.causationId,
      principal: event.principal,
      aggregate_id: event.aggregateId,
      aggregate_version: event.aggregateVersion,
      order_id: event.orderId,
      payload: event.payload,
    }));
    await this.events.query(
      `INSERT INTO audit_event (event_id, type, topic, partition, kafka_offset, message_key, occurred_at,
         correlation_id, causation_id, principal, aggregate_id, aggregate_version, order_id, payload, recorded_at)
       SELECT e.event_id, e.type, e.topic, e.partition, e.kafka_offset, e.message_key, e.occurred_at,
              e.correlation_id, e.causation_id, e.principal, e.aggregate_id, e.aggregate_version, e.order_id,
              e.payload, now()
       FROM jsonb_to_recordset($1::jsonb) AS e(event_id uuid, type text, topic text, partition integer,
            kafka_offset bigint, message_key text, occurred_at timestamptz, correlation_id text, causation_id text,
            principal text, aggregate_id text, aggregate_version integer, order_id uuid, payload jsonb)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
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
