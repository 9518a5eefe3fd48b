import { randomUUID } from 'node:crypto';
import { SearchOrdersRequest } from '@orderflow/contracts';
import { useEmbeddedTestDatabase } from '@orderflow/persistence/testing';
import { searchEntities, searchMigrations } from '../search-persistence';
import { OrderProjectionRepository } from './order-projection.repository';
import { OrderSearchRepository } from './order-search.repository';
import { SearchService } from './search.service';

jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

/**
 * `npm start` runs search on the embedded database (PGlite): its migrations (tsvector, GIN and
 * trigram indexes) and every kind of query the API offers must work there as on PostgreSQL.
 */
describe('order search on the embedded database (PGlite)', () => {
  const database = useEmbeddedTestDatabase('search', searchEntities, searchMigrations);
  let search: SearchService;
  const orders = {
    kettle: randomUUID(),
    teapot: randomUUID(),
    both: randomUUID(),
    cancelled: randomUUID(),
  };

  beforeAll(async () => {
    search = new SearchService(new OrderSearchRepository(database()));
    const projection = new OrderProjectionRepository(database());
    const occurredAt = new Date().toISOString();
    await projection.mergeProduct({ sku: 'KTL-STEEL-1', name: 'Stainless Kettle', priceCents: 2500, occurredAt });
    await projection.mergeProduct({ sku: 'TEA-POT-22', name: 'Porcelain Teapot', priceCents: 4000, occurredAt });
    const order = (orderId: string, customerId: string, skus: string[], totalCents: number) =>
      projection.mergeOrder({
        orderId,
        occurredAt,
        customerId,
        status: { status: 'CONFIRMED', version: 4 },
        totalCents,
        lines: skus.map((sku) => ({ sku, quantity: 1, unitPriceCents: null })),
      });
    await order(orders.kettle, 'alice', ['KTL-STEEL-1'], 2500);
    await order(orders.teapot, 'bob', ['TEA-POT-22'], 4000);
    await order(orders.both, 'alice', ['KTL-STEEL-1', 'TEA-POT-22'], 6500);
    await order(orders.cancelled, 'carol', ['TEA-POT-22'], 4000);
    await projection.mergeOrder({
      orderId: orders.cancelled,
      occurredAt,
      status: { status: 'CANCELLED', version: 5 },
      cancelReason: 'OUT_OF_STOCK',
    });
  }, 60_000);

  const found = async (request: Partial<SearchOrdersRequest>) =>
    (await search.search(request as SearchOrdersRequest)).items.map((hit) => hit.orderId).sort();

  it('finds orders by a word of a product name (full-text)', async () => {
    expect(await found({ q: 'kettle' })).toEqual([orders.kettle, orders.both].sort());
    expect(await found({ q: 'porcelain' })).toEqual([orders.teapot, orders.both, orders.cancelled].sort());
  });

  it('finds orders by part of a sku (trigrams)', async () => {
    expect(await found({ q: 'STEEL' })).toEqual([orders.kettle, orders.both].sort());
    expect(await found({ q: 'pot-2' })).toEqual([orders.teapot, orders.both, orders.cancelled].sort());
  });

  it('filters by customer, status and total range, with counts per status for the same query', async () => {
    expect(await found({ customerId: 'alice' })).toEqual([orders.kettle, orders.both].sort());
    expect(await found({ status: 'CANCELLED' })).toEqual([orders.cancelled]);
    expect(await found({ minTotal: 3000, maxTotal: 5000 })).toEqual([orders.teapot, orders.cancelled].sort());
    const result = await search.search({ q: 'teapot', status: 'CONFIRMED' } as SearchOrdersRequest);
    expect(result.total).toBe(2);
    expect(result.statusCounts).toMatchObject({ CONFIRMED: 2, CANCELLED: 1 });
  });

  it('names each line from the product events, and pages through the matches once each', async () => {
    const [hit] = (await search.search({ q: orders.kettle } as SearchOrdersRequest)).items;
    expect(hit.lines.map((line) => line.name)).toEqual(['Stainless Kettle']);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search.search({ sort: 'total-desc', limit: 1, cursor } as SearchOrdersRequest);
      seen.push(...page.items.map((item) => item.orderId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Highest total first; the two of 4 000 cents in either order, each once.
    expect(seen).toHaveLength(4);
    expect([seen[0], seen[3]]).toEqual([orders.both, orders.kettle]);
    expect(seen.slice(1, 3).sort()).toEqual([orders.teapot, orders.cancelled].sort());
  });
});
