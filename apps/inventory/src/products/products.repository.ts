import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Page } from '@orderflow/contracts';
import { EntityManager, MoreThan, Repository } from 'typeorm';
import { ProductEntity } from './product.entity';

export type NewProduct = Pick<ProductEntity, 'sku' | 'name' | 'priceCents' | 'stock'>;

@Injectable()
export class ProductsRepository {
  constructor(@InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>) {}

  /** Inserts unless the sku exists; true when this call inserted it. */
  async insertIfAbsent(product: NewProduct, manager: EntityManager = this.products.manager): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ProductEntity)
      .values(product)
      .orIgnore()
      .returning(['sku'])
      .execute();
    return result.raw.length > 0;
  }

  findBySku(sku: string): Promise<ProductEntity | null> {
    return this.products.findOneBy({ sku });
  }

  /** Ordered by sku; `limit + 1` rows are read to know whether another page follows. */
  async pageAfter(afterSku: string | null, limit: number): Promise<Page<ProductEntity>> {
    const found = await this.products.find({
      where: afterSku === null ? {} : { sku: MoreThan(afterSku) },
      order: { sku: 'ASC' },
      take: limit + 1,
    });
    const items = found.slice(0, limit);
    return { items, nextCursor: found.length > limit ? (items.at(-1)?.sku ?? null) : null };
  }

  /** Adds to the stock atomically; the row lock taken by the update keeps the returned view consistent. */
  addStock(sku: string, quantity: number): Promise<ProductEntity | null> {
    return this.products.manager.transaction(async (manager) => {
      const result = await manager.increment(ProductEntity, { sku }, 'stock', quantity);
      if (!result.affected) return null;
      return manager.findOneBy(ProductEntity, { sku });
    });
  }
}
