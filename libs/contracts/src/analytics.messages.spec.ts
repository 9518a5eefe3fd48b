import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, validateSync } from 'class-validator';
import {
  CancellationCount,
  CancellationsRequest,
  SkuSalesRequest,
  SkuWindowSales,
  TopSkus,
} from './analytics.messages';

/** What the gateway's validation pipe and the analytics service's do with a query string. */
function problemsOf<T extends object>(type: new () => T, query: Record<string, string>): string[] {
  return validateSync(plainToInstance(type, query)).map((error) => error.property);
}

describe('analytics requests', () => {
  it('reads a cancellations query string: window range, reason and a numeric limit', () => {
    const query = { since: '2026-01-15T10:00:00Z', reason: 'OUT_OF_STOCK', limit: '20' };
    expect(plainToInstance(CancellationsRequest, query)).toEqual({ ...query, limit: 20 });
    expect(problemsOf(CancellationsRequest, query)).toEqual([]);
    expect(problemsOf(CancellationsRequest, {})).toEqual([]);
  });

  it('rejects an unknown reason, a window that does not start a minute and a limit out of range', () => {
    const query = { reason: 'LOST', window: '2026-01-15T10:00:30Z', since: 'yesterday', limit: '0' };
    expect(problemsOf(CancellationsRequest, query).sort()).toEqual(['limit', 'reason', 'since', 'window']);
    const [reason] = validateSync(plainToInstance(CancellationsRequest, { reason: 'LOST' }));
    expect(Object.values(reason.constraints ?? {})).toEqual([
      'reason must be one of OUT_OF_STOCK, PAYMENT_DECLINED, CUSTOMER_CANCELLED',
    ]);
  });

  it('checks the same window range for SKU sales, besides the SKU', () => {
    expect(problemsOf(SkuSalesRequest, { window: '2026-01-15T10:00:00Z', sku: 'BOOK-1', limit: '5' })).toEqual([]);
    expect(problemsOf(SkuSalesRequest, { window: 'yesterday', sku: 'x y', limit: '5001' }).sort()).toEqual([
      'limit',
      'sku',
      'window',
    ]);
  });
});

describe('analytics results', () => {
  const bounds = { windowStart: '2026-01-15T10:00:00Z', windowEnd: '2026-01-15T10:01:00Z' };
  const results: Array<[string, ClassConstructor<object>, object]> = [
    ['SkuWindowSales', SkuWindowSales, { sku: 'BOOK-1', orders: 1, units: 2, revenueCents: 2500 }],
    ['TopSkus', TopSkus, { skus: [{ sku: 'BOOK-1', units: 2 }] }],
    ['CancellationCount', CancellationCount, { reason: 'OUT_OF_STOCK', count: 3 }],
  ];

  it.each(results)('%s checks the bounds of its closed window', async (_name, type, fields) => {
    expect(await validate(plainToInstance(type, { ...fields, ...bounds }))).toEqual([]);
    const broken = await validate(plainToInstance(type, { ...fields, ...bounds, windowEnd: 'later' }));
    expect(broken.map((error) => error.property)).toEqual(['windowEnd']);
  });
});
