import { centsColumn } from '@orderflow/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'sku_window_sales' })
export class SkuWindowSalesEntity {
  @PrimaryColumn({ type: 'text' })
  sku: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd: Date;

  @Column({ type: 'integer' })
  orders: number;

  @Column({ ...centsColumn })
  units: number;

  @Column({ name: 'revenue_cents', ...centsColumn })
  revenueCents: number;
}

@Entity({ name: 'top_skus' })
export class TopSkusEntity {
  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd: Date;

  @Column({ type: 'jsonb' })
  skus: { sku: string; units: number }[];
}

@Entity({ name: 'customer_totals' })
export class CustomerTotalsEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'text' })
  customerId: string;

  @Column({ type: 'integer' })
  orders: number;

  @Column({ name: 'spent_cents', ...centsColumn })
  spentCents: number;

  @Column({ type: 'integer' })
  cancellations: number;

  @Column({ name: 'refunded_cents', ...centsColumn })
  refundedCents: number;
}

@Entity({ name: 'cancellation_counts' })
export class CancellationCountEntity {
  @PrimaryColumn({ type: 'text' })
  reason: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd: Date;

  @Column({ type: 'integer' })
  count: number;
}

export const analyticsEntities = [SkuWindowSalesEntity, TopSkusEntity, CustomerTotalsEntity, CancellationCountEntity];
