import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One domain event as read from Kafka; never updated or deleted (a trigger forbids it). */
@Entity({ name: 'audit_event' })
export class AuditEventEntity {
  /** The order in which this log recorded events; a tie-breaker, not a global order. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  sequence: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'integer' })
  partition: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset: string;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  messageKey: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId: string;

  /** Who asked for the work that produced the event (its `x-principal` header); null when nobody did. */
  @Column({ type: 'text', nullable: true })
  principal: string | null;

  @Column({ name: 'causation_id', type: 'text', nullable: true })
  causationId: string | null;

  @Column({ name: 'aggregate_id', type: 'text' })
  aggregateId: string;

  @Column({ name: 'aggregate_version', type: 'integer' })
  aggregateVersion: number;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
