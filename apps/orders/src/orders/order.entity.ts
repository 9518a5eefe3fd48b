import { CancelReason, OrderStatus } from '@orderflow/contracts';
import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { centsColumn } from '@orderflow/persistence';
import { OrderLineEntity } from './order-line.entity';
import { OrderStatusChangeEntity } from './order-status-change.entity';

@Entity({ name: 'customer_order' })
export class OrderEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ type: 'text' })
  status: OrderStatus;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: CancelReason | null;

  @Column({ name: 'total_cents', ...centsColumn, nullable: true })
  totalCents: number | null;

  @Column({ name: 'refunded_cents', ...centsColumn, default: 0 })
  refundedCents: number;

  /** Compensations a cancellation still waits for before the order is CANCELLED. */
  @Column({ name: 'awaiting_release', type: 'boolean', default: false })
  awaitingRelease: boolean;

  @Column({ name: 'awaiting_refund', type: 'boolean', default: false })
  awaitingRefund: boolean;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId: string;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** The request that came with the key (request-fingerprint.ts); null for orders placed before it was kept. */
  @Column({ name: 'idempotency_fingerprint', type: 'text', nullable: true })
  idempotencyFingerprint: string | null;

  @Column({ type: 'integer' })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @OneToMany(() => OrderLineEntity, (line) => line.order, { cascade: ['insert'] })
  lines: OrderLineEntity[];

  @OneToMany(() => OrderStatusChangeEntity, (change) => change.order, { cascade: ['insert'] })
  history: OrderStatusChangeEntity[];
}
