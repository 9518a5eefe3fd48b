import { OrderItem, PricedOrderItem, RejectedLine, StockRejectionReason } from '@orderflow/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type ReservationStatus = 'RESERVED' | 'RELEASED' | 'REJECTED';

/**
 * Inventory's answer to one order, kept so that a repeated command gets the same answer:
 * RESERVED (priced items), REJECTED (the requested items, the reason and the lines at fault) or
 * RELEASED (after a reservation, or as a tombstone when the release came first).
 */
@Entity({ name: 'stock_reservation' })
export class StockReservationEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  status: ReservationStatus;

  @Column({ type: 'jsonb' })
  items: (OrderItem | PricedOrderItem)[];

  @Column({ type: 'text', nullable: true })
  reason: StockRejectionReason | null;

  /** The skus of `rejectedLines`, as the release before wrote and read them (drop once no instance of it runs). */
  @Column({ name: 'rejected_skus', type: 'text', array: true })
  rejectedSkus: string[];

  /** What was short and by how much; null on rows written before inventory.rejected version 2. */
  @Column({ name: 'rejected_lines', type: 'jsonb', nullable: true })
  rejectedLines: RejectedLine[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
