import { AuditEventView } from '@orderflow/contracts';
import { AuditEventEntity } from './audit-event.entity';

export function toAuditEventView(event: AuditEventEntity): AuditEventView {
  return {
    eventId: event.eventId,
    type: event.type,
    topic: event.topic,
    partition: event.partition,
    offset: String(event.kafkaOffset),
    key: event.messageKey,
    occurredAt: event.occurredAt.toISOString(),
    correlationId: event.correlationId,
    causationId: event.causationId,
    principal: event.principal,
    aggregateId: event.aggregateId,
    aggregateVersion: event.aggregateVersion,
    orderId: event.orderId,
    payload: event.payload,
    recordedAt: event.recordedAt.toISOString(),
  };
}
