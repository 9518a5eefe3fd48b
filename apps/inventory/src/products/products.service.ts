import { Injectable } from '@nestjs/common';
import { CreateProductRequest, ListProductsRequest, Page, ProductView, Topics } from '@orderflow/contracts';
import { createMessage, MessageTransactions, RequestRejectedError } from '@orderflow/messaging';
import { toProductView } from './product-view';
import { decodeProductCursor, encodeProductCursor, isRepeatedCreate } from './product-rules';
import { ProductsRepository } from './products.repository';

const DEFAULT_PAGE_SIZE = 20;
const NUMERIC_OUT_OF_RANGE = '22003';

@Injectable()
export class ProductsService {
  constructor(
    private readonly products: ProductsRepository,
    private readonly transactions: MessageTransactions,
  ) {}

  /**
   * A repeated create of the same product (same name and price) returns it as it is now; anything else is a conflict.
   * A new product is announced as `product.registered` (outbox, same transaction) for read models such as search.
   */
  async create(request: CreateProductRequest, correlationId: string): Promise<ProductView> {
    const { sku, name, priceCents, stock } = request;
    const inserted = await this.transactions.run(async ({ manager, publish }) => {
      if (!(await this.products.insertIfAbsent({ sku, name, priceCents, stock }, manager))) return false;
      publish(
        createMessage(
          Topics.ProductRegistered,
          { sku, name, priceCents },
          { aggregateId: sku, aggregateVersion: 1 },
          { correlationId },
        ),
      );
      return true;
    });
    if (inserted) return { sku, name, priceCents, stock };
    const existing = await this.products.findBySku(sku);
    if (existing && isRepeatedCreate(existing, request)) return toProductView(existing);
    throw RequestRejectedError.conflict(`product ${sku} already exists`);
  }

  async get(sku: string): Promise<ProductView> {
    const product = await this.products.findBySku(sku);
    if (!product) throw RequestRejectedError.notFound(`product ${sku} does not exist`);
    return toProductView(product);
  }

  async list(request: ListProductsRequest): Promise<Page<ProductView>> {
    const after = request.cursor ? decodeProductCursor(request.cursor) : null;
    const page = await this.products.pageAfter(after, request.limit ?? DEFAULT_PAGE_SIZE);
    return {
      items: page.items.map(toProductView),
      nextCursor: page.nextCursor === null ? null : encodeProductCursor(page.nextCursor),
    };
  }

  async restock(sku: string, quantity: number): Promise<ProductView> {
    const product = await this.products.addStock(sku, quantity).catch((error: unknown) => {
      if ((error as { code?: string }).code === NUMERIC_OUT_OF_RANGE) {
        throw RequestRejectedError.conflict(`restocking ${sku} by ${quantity} would exceed the largest stock`);
      }
      throw error;
    });
    if (!product) throw RequestRejectedError.notFound(`product ${sku} does not exist`);
    return toProductView(product);
  }
}
