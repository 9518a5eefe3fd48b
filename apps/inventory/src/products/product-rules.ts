import { CreateProductRequest, SKU_PATTERN } from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { ProductEntity } from './product.entity';

/**
 * A create for a sku that exists is a caller's retry (after a timeout) when it names the same product:
 * same name and price. Stock is left out: orders may have reserved some since the first create.
 */
export function isRepeatedCreate(existing: ProductEntity, request: CreateProductRequest): boolean {
  return existing.name === request.name && existing.priceCents === request.priceCents;
}

/** Products are listed by sku; the cursor is the last sku of the previous page. */
export function encodeProductCursor(lastSku: string): string {
  return Buffer.from(lastSku).toString('base64url');
}

export function decodeProductCursor(cursor: string): string {
  const sku = Buffer.from(cursor, 'base64url').toString();
  if (!SKU_PATTERN.test(sku)) throw new RequestRejectedError('INVALID', 'cursor is not one this API returned');
  return sku;
}
