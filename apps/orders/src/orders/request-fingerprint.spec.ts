import { CreateOrderRequest } from '@orderflow/contracts';
import { requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  const order: CreateOrderRequest = {
    customerId: 'alice',
    items: [
      { sku: 'BOOK-1', quantity: 2 },
      { sku: 'PEN-1', quantity: 1 },
    ],
  };

  it('is the same for the same request, whatever the order of its fields and whatever its key', () => {
    const reordered = { items: order.items.map(({ quantity, sku }) => ({ quantity, sku })), customerId: 'alice' };
    expect(requestFingerprint({ ...reordered, idempotencyKey: 'k-1' } as CreateOrderRequest)).toBe(
      requestFingerprint({ ...order, idempotencyKey: 'k-2' }),
    );
  });

  it('differs when anything the request asks for differs', () => {
    const fingerprint = requestFingerprint(order);
    expect(requestFingerprint({ ...order, customerId: 'bob' })).not.toBe(fingerprint);
    expect(requestFingerprint({ ...order, items: [{ sku: 'BOOK-1', quantity: 3 }, order.items[1]] })).not.toBe(
      fingerprint,
    );
    expect(requestFingerprint({ ...order, items: [...order.items].reverse() })).not.toBe(fingerprint);
  });
});
