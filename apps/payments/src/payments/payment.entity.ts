import { PaymentDeclineReason } from '@orderflow/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { centsColumn } from '@orderflow/persistence';

/** CHARGED → REFUNDED; DECLINED stays; VOIDED is the tombstone of a refund that came before its charge. */
export type PaymentStatus = 'CHARGED' | 'DECLINED' | 'REFUNDED' | 'VOIDED';

/** Payments' answer to one order, kept so that a repeated command gets the same answer. */
@Entity({ name: 'payment' })
export class PaymentEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ name: 'amount_cents', ...centsColumn })
  amountCents: number;

  @Column({ type: 'text' })
  status: PaymentStatus;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason: PaymentDeclineReason | null;

  @Column({ name: 'refunded_cents', ...centsColumn, default: 0 })
  refundedCents: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
