import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { centsColumn } from '@orderflow/persistence';
import { OrderEntity } from './order.entity';

@Entity({ name: 'order_line' })
export class OrderLineEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @PrimaryColumn({ name: 'line_no', type: 'integer' })
  lineNo: number;

  @Column({ type: 'text' })
  sku: string;

  @Column({ type: 'integer' })
  quantity: number;

  /** Set when inventory reserves the stock: the price is the one at reservation time. */
  @Column({ name: 'unit_price_cents', ...centsColumn, nullable: true })
  unitPriceCents: number | null;

  @ManyToOne(() => OrderEntity, (order) => order.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: OrderEntity;
}
