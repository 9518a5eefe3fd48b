import { RequestRejectedError } from '@orderflow/messaging';
import { ProductEntity } from './product.entity';
import { decodeProductCursor, encodeProductCursor, isRepeatedCreate } from './product-rules';

const existing = Object.assign(new ProductEntity(), { sku: 'MUG-1', name: 'Mug', priceCents: 1200, stock: 3 });

describe('product rules', () => {
  it('treats a create naming the same product as a retry, whatever stock it asks for', () => {
    expect(isRepeatedCreate(existing, { sku: 'MUG-1', name: 'Mug', priceCents: 1200, stock: 10 })).toBe(true);
  });

  it('treats a create with another name or price as a conflict', () => {
    expect(isRepeatedCreate(existing, { sku: 'MUG-1', name: 'Cup', priceCents: 1200, stock: 3 })).toBe(false);
    expect(isRepeatedCreate(existing, { sku: 'MUG-1', name: 'Mug', priceCents: 1300, stock: 3 })).toBe(false);
  });

  it('round-trips the last sku through the cursor', () => {
    expect(decodeProductCursor(encodeProductCursor('MUG-1'))).toBe('MUG-1');
  });

  it('rejects a cursor this API did not return', () => {
    expect(() => decodeProductCursor('not a cursor!')).toThrow(RequestRejectedError);
    expect(() => decodeProductCursor(encodeProductCursor("x' OR 1=1"))).toThrow(RequestRejectedError);
  });
});
