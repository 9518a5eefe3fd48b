import { CancelReason, OrderStatus } from '@orderflow/contracts';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrderEntity } from './order.entity';

@Entity({ name: 'order_status_change' })
export class OrderStatusChangeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ type: 'text' })
  status: OrderStatus;

  @Column({ type: 'text', nullable: true })
  reason: CancelReason | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  @ManyToOne(() => OrderEntity, (order) => order.history, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: OrderEntity;
}
