import { ProductView } from '@orderflow/contracts';
import { ProductEntity } from './product.entity';

export function toProductView({ sku, name, priceCents, stock }: ProductEntity): ProductView {
  return { sku, name, priceCents, stock };
}
