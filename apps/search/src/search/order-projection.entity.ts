import type { CancelReason, OrderStatus } from '@orderflow/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface ProjectedLine {
  sku: string;
  quantity: number;
  unitPriceCents: number | null;
}

/** One order as search sees it; written only by OrderProjectionRepository's merges. */
@Entity({ name: 'order_projection' })
export class OrderProjectionEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ name: 'customer_id', type: 'text', nullable: true })
  customerId: string | null;

  @Column({ type: 'text' })
  status: OrderStatus;

  /** The aggregate version of the event that set `status`: an older event never overwrites it. */
  @Column({ name: 'status_version', type: 'integer' })
  statusVersion: number;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: CancelReason | null;

  @Column({ name: 'total_cents', type: 'bigint', nullable: true })
  totalCents: string | null;

  @Column({ type: 'jsonb' })
  lines: ProjectedLine[];

  @Column({ type: 'text', array: true })
  skus: string[];

  @Column({ name: 'product_names', type: 'text' })
  productNames: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
