import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '@orderflow/persistence/testing';
import { DataSource } from 'typeorm';
import { searchEntities, searchMigrations } from '../search-persistence';
import { OrderFacts, OrderProjectionRepository } from './order-projection.repository';

jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

/** The projection's writes against a real PostgreSQL: the races its locks exist for. */
describe('OrderProjectionRepository on PostgreSQL', () => {
  const database = useTestDatabase('search', searchEntities, searchMigrations, 12);
  let dataSource: DataSource;
  let projection: OrderProjectionRepository;

  beforeAll(() => {
    dataSource = database();
    projection = new OrderProjectionRepository(dataSource);
  });

  it('gives every order the name of a product registered while its lines are being written', async () => {
    for (let round = 0; round < 15; round += 1) {
      const sku = `RACE-${round}-${randomUUID().slice(0, 8)}`;
      const orderIds = Array.from({ length: 10 }, () => randomUUID());
      const occurredAt = new Date().toISOString();
      await Promise.all([
        ...orderIds.map((orderId) =>
          projection.mergeOrder({
            orderId,
            occurredAt,
            customerId: 'c-1',
            status: { status: 'PENDING', version: 1 },
            lines: [{ sku, quantity: 1, unitPriceCents: null }],
          }),
        ),
        projection.mergeProduct({ sku, name: `Kettle ${round}`, priceCents: 100, occurredAt }),
      ]);
      const rows: { product_names: string }[] = await dataSource.query(
        `SELECT product_names FROM order_projection WHERE order_id = ANY($1::uuid[])`,
        [orderIds],
      );
      expect(rows.map((row) => row.product_names)).toEqual(orderIds.map(() => `Kettle ${round}`));
    }
  });

  it('lets orders of one sku write at the same time: none waits for another to commit', async () => {
    const sku = `SHARED-${randomUUID().slice(0, 8)}`;
    const occurredAt = new Date().toISOString();
    const blocker = dataSource.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    try {
      // An open transaction holding the order-side lock of the sku, as a slow order merge would.
      await blocker.query(`SELECT pg_advisory_xact_lock_shared(hashtext('search-sku:' || $1::text))`, [sku]);
      const orderId = randomUUID();
      await projection.mergeOrder({ orderId, occurredAt, lines: [{ sku, quantity: 1, unitPriceCents: null }] });
      const [row] = await dataSource.query(`SELECT skus FROM order_projection WHERE order_id = $1`, [orderId]);
      expect(row.skus).toEqual([sku]);
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
  });

  it('gives the same row for an order whether its facts come in one batch or one by one, in any order', async () => {
    const [batched, single] = [randomUUID(), randomUUID()];
    const sku = `BATCH-${randomUUID().slice(0, 8)}`;
    await projection.mergeProduct({ sku, name: 'Batch Kettle', priceCents: 700, occurredAt: '2026-01-15T10:00:00Z' });
    const factsOf = (orderId: string): OrderFacts[] => [
      { orderId, occurredAt: '2026-01-15T10:00:03Z', status: { status: 'CONFIRMED', version: 4 }, totalCents: 1400 },
      {
        orderId,
        occurredAt: '2026-01-15T10:00:01Z',
        totalCents: 1400,
        lines: [{ sku, quantity: 2, unitPriceCents: 700 }],
      },
      {
        orderId,
        occurredAt: '2026-01-15T10:00:00Z',
        customerId: 'c-7',
        status: { status: 'PENDING', version: 1 },
        lines: [{ sku, quantity: 2, unitPriceCents: null }],
      },
      { orderId, occurredAt: '2026-01-15T10:00:02Z', status: { status: 'PAID', version: 3 } },
    ];
    const repeated = factsOf(batched);
    await projection.mergeOrders([...repeated, repeated[1], repeated[0]]);
    for (const facts of factsOf(single).reverse()) await projection.mergeOrder(facts);

    const rows: Record<string, unknown>[] = await dataSource.query(
      `SELECT customer_id, status, status_version, total_cents, lines, skus, product_names, created_at, updated_at
       FROM order_projection WHERE order_id = ANY($1::uuid[]) ORDER BY order_id = $2`,
      [[batched, single], single],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(rows[1]);
    expect(rows[0]).toMatchObject({
      customer_id: 'c-7',
      status: 'CONFIRMED',
      total_cents: '1400',
      lines: [{ sku, quantity: 2, unitPriceCents: 700 }],
      product_names: 'Batch Kettle',
    });
  });

  it('gives an order the names of two of its products registered at the same time', async () => {
    for (let round = 0; round < 15; round += 1) {
      const skus = [`PAIR-A-${round}-${randomUUID().slice(0, 6)}`, `PAIR-B-${round}-${randomUUID().slice(0, 6)}`];
      const orderIds = Array.from({ length: 3 }, () => randomUUID());
      const occurredAt = new Date().toISOString();
      const lines = skus.map((sku) => ({ sku, quantity: 1, unitPriceCents: null }));
      await Promise.all(orderIds.map((orderId) => projection.mergeOrder({ orderId, occurredAt, lines })));
      await Promise.all(
        skus.map((sku) => projection.mergeProduct({ sku, name: `Name ${sku}`, priceCents: 100, occurredAt })),
      );
      const rows: { product_names: string }[] = await dataSource.query(
        `SELECT product_names FROM order_projection WHERE order_id = ANY($1::uuid[])`,
        [orderIds],
      );
      expect(rows.map((row) => row.product_names)).toEqual(
        orderIds.map(() => skus.map((sku) => `Name ${sku}`).join(' ')),
      );
    }
  });
});
