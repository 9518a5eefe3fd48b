import { IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageRequest } from './common';

/** `GET /audit`: every filter optional; oldest first (occurredAt, then the audit's own sequence). */
export class ListAuditEventsRequest extends PageRequest {
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  correlationId?: string;

  /** An event type, which is its topic: `order.created`. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  type?: string;

  /** Inclusive lower bound on occurredAt. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Exclusive upper bound on occurredAt. */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class OrderTimelineRequest {
  @IsUUID()
  orderId: string;
}

/**
 * One event as the audit log recorded it: where it was read from, and the envelope as published, its
 * payload in the current schema version of its type (a previous version upcast).
 */
export interface AuditEventView {
  eventId: string;
  type: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  /** Who asked for the work that produced the event (`kind:subject`); null when nobody asked over HTTP. */
  principal: string | null;
  aggregateId: string;
  aggregateVersion: number;
  /** The order the event is about, when it is about one. */
  orderId: string | null;
  payload: Record<string, unknown>;
  recordedAt: string;
}

export interface OrderTimeline {
  orderId: string;
  /** Causal order: by occurredAt, and never before the event that caused it. */
  events: AuditEventView[];
}
