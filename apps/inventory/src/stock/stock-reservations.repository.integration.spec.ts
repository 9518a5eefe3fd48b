import { messagingEntities, messagingMigrations } from '@orderflow/messaging';
import { useTestDatabase } from '@orderflow/persistence/testing';
import { randomUUID } from 'node:crypto';
import { InventoryTables1764100000200 } from '../migrations/1764100000200-inventory-tables';
import { StockRejectedLines1764100000210 } from '../migrations/1764100000210-stock-rejected-lines';
import { ProductEntity } from '../products/product.entity';
import { releaseStock, reserveStock } from './stock-ledger';
import { StockReservationEntity } from './stock-reservation.entity';
import { StockReservationsRepository } from './stock-reservations.repository';

jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

/** The ledger's plain SQL on PostgreSQL: reserve, repeat, reject and release move the stock they should. */
describe('StockReservationsRepository', () => {
  const database = useTestDatabase(
    'stock_reservations',
    [...messagingEntities, ProductEntity, StockReservationEntity],
    [...messagingMigrations, InventoryTables1764100000200, StockRejectedLines1764100000210],
  );
  const repository = new StockReservationsRepository();
  const inTransaction = <T>(work: (ledger: ReturnType<StockReservationsRepository['ledger']>) => Promise<T>) =>
    database().transaction((manager) => work(repository.ledger(manager)));
  const stockOf = async (sku: string) =>
    ((await database().query(`SELECT stock FROM product WHERE sku = $1`, [sku])) as { stock: number }[])[0].stock;
  const stored = (orderId: string) => database().manager.findOneBy(StockReservationEntity, { orderId });

  beforeAll(async () => {
    await database().query(
      `INSERT INTO product (sku, name, price_cents, stock) VALUES ('MUG', 'Mug', 1200, 10), ('PEN', 'Pen', 150, 2)`,
    );
  });

  it('reserves every line, answers a repeat the same without taking stock again, and releases it once', async () => {
    const orderId = randomUUID();
    const command = {
      orderId,
      items: [
        { sku: 'PEN', quantity: 1 },
        { sku: 'MUG', quantity: 3 },
      ],
    };
    const reserved = await inTransaction((ledger) => reserveStock(ledger, command));
    const priced = [
      { sku: 'PEN', quantity: 1, unitPriceCents: 150 },
      { sku: 'MUG', quantity: 3, unitPriceCents: 1200 },
    ];
    expect(reserved.payload).toEqual({ orderId, items: priced, totalCents: 3750 });
    expect([await stockOf('MUG'), await stockOf('PEN')]).toEqual([7, 1]);
    expect(await inTransaction((ledger) => reserveStock(ledger, command))).toEqual(reserved);
    expect([await stockOf('MUG'), await stockOf('PEN')]).toEqual([7, 1]);

    await inTransaction((ledger) => releaseStock(ledger, { orderId }));
    await inTransaction((ledger) => releaseStock(ledger, { orderId }));
    expect([await stockOf('MUG'), await stockOf('PEN')]).toEqual([10, 2]);
    expect(await stored(orderId)).toMatchObject({ status: 'RELEASED', items: priced });
  });

  it('stores a rejection with its lines and answers a repeat with them', async () => {
    const orderId = randomUUID();
    const command = { orderId, items: [{ sku: 'PEN', quantity: 5 }] };
    const rejected = await inTransaction((ledger) => reserveStock(ledger, command));
    expect(rejected.payload).toEqual({
      orderId,
      reason: 'OUT_OF_STOCK',
      lines: [{ sku: 'PEN', requestedQuantity: 5, availableQuantity: 2 }],
    });
    expect(await stored(orderId)).toMatchObject({ status: 'REJECTED', rejectedSkus: ['PEN'], reason: 'OUT_OF_STOCK' });
    expect(await inTransaction((ledger) => reserveStock(ledger, command))).toEqual(rejected);
    expect(await stockOf('PEN')).toBe(2);
  });
});
