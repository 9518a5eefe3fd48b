import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A product's name as announced by `product.registered`: what makes orders searchable by product words. */
@Entity({ name: 'product_name' })
export class ProductNameEntity {
  @PrimaryColumn({ type: 'text' })
  sku: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'price_cents', type: 'bigint' })
  priceCents: string;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;
}
