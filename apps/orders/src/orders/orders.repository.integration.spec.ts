import { Topics } from '@orderflow/contracts';
import { messagingEntities, messagingMigrations } from '@orderflow/messaging';
import { useTestDatabase } from '@orderflow/persistence/testing';
import { randomUUID } from 'node:crypto';
import { OrdersTables1764100000100 } from '../migrations/1764100000100-orders-tables';
import { IdempotencyFingerprint1764100000200 } from '../migrations/1764100000200-idempotency-fingerprint';
import { OrderLifecycle } from './order-lifecycle';
import { OrderLineEntity } from './order-line.entity';
import { OrderStatusChangeEntity } from './order-status-change.entity';
import { OrderEntity } from './order.entity';
import { OrdersRepository } from './orders.repository';
import { SagaEvent } from './order-saga-table';

jest.mock('@nestjs/typeorm', () => ({
  InjectDataSource: () => () => undefined,
  InjectRepository: () => () => undefined,
}));

/** The repository's plain SQL on PostgreSQL: what it writes and reads is what the entities describe. */
describe('OrdersRepository', () => {
  const database = useTestDatabase(
    'orders_repository',
    [...messagingEntities, OrderEntity, OrderLineEntity, OrderStatusChangeEntity],
    [...messagingMigrations, OrdersTables1764100000100, IdempotencyFingerprint1764100000200],
  );
  let orders: OrdersRepository;

  beforeAll(() => {
    orders = new OrdersRepository(database().getRepository(OrderEntity));
  });

  const place = async (idempotencyKey?: string) => {
    const lifecycle = OrderLifecycle.create({
      id: randomUUID(),
      customerId: 'alice',
      correlationId: 'correlation-1',
      items: [
        { sku: 'BOOK-2', quantity: 1 },
        { sku: 'BOOK-1', quantity: 3 },
      ],
      idempotencyKey,
      idempotencyFingerprint: idempotencyKey ? 'fingerprint' : undefined,
    });
    await database().transaction((manager) => orders.insert(manager, lifecycle));
    return lifecycle.order.id;
  };
  const react = (id: string, event: SagaEvent) =>
    database().transaction(async (manager) => {
      const lifecycle = new OrderLifecycle((await orders.lockForUpdate(manager, id))!);
      expect(lifecycle.apply(event)).toBe(true);
      await orders.saveChanges(manager, lifecycle);
    });

  it('stores a new order with its lines in their order and its first status', async () => {
    const id = await place();
    const order = await orders.findWithDetails(id);
    expect(order).toMatchObject({ id, customerId: 'alice', status: 'PENDING', version: 1, totalCents: null });
    expect(
      order!.lines.map(({ lineNo, sku, quantity, unitPriceCents }) => ({ lineNo, sku, quantity, unitPriceCents })),
    ).toEqual([
      { lineNo: 1, sku: 'BOOK-2', quantity: 1, unitPriceCents: null },
      { lineNo: 2, sku: 'BOOK-1', quantity: 3, unitPriceCents: null },
    ]);
    expect(order!.history.map(({ status, reason }) => ({ status, reason }))).toEqual([
      { status: 'PENDING', reason: null },
    ]);
  });

  it('reads an order for update and by its idempotency key as TypeORM maps it', async () => {
    const key = randomUUID();
    const id = await place(key);
    await react(id, {
      on: Topics.StockReserved,
      items: [{ sku: 'BOOK-1', quantity: 3, unitPriceCents: 250 }],
      totalCents: 750,
    });
    const mapped = await database().manager.findOneBy(OrderEntity, { id });
    await database().transaction(async (manager) => {
      expect(await orders.lockForUpdate(manager, id)).toEqual(mapped);
      expect(await orders.findByIdempotencyKey(manager, 'alice', key)).toEqual(mapped);
      expect(await orders.lockForUpdate(manager, randomUUID())).toBeNull();
      expect(await orders.findByIdempotencyKey(manager, 'alice', randomUUID())).toBeNull();
    });
  });

  it('saves a reaction: the order, each new status in its order, and the prices of the lines', async () => {
    const id = await place();
    await react(id, {
      on: Topics.StockReserved,
      items: [
        { sku: 'BOOK-1', quantity: 3, unitPriceCents: 250 },
        { sku: 'BOOK-2', quantity: 1, unitPriceCents: 1_200 },
      ],
      totalCents: 1_950,
    });
    await react(id, { on: Topics.PaymentCharged });
    const order = await orders.findWithDetails(id);
    expect(order).toMatchObject({ status: 'CONFIRMED', totalCents: 1_950, version: 4, awaitingRelease: false });
    expect(order!.lines.map(({ sku, unitPriceCents }) => ({ sku, unitPriceCents }))).toEqual([
      { sku: 'BOOK-2', unitPriceCents: 1_200 },
      { sku: 'BOOK-1', unitPriceCents: 250 },
    ]);
    expect(order!.history.map(({ status }) => status)).toEqual(['PENDING', 'STOCK_RESERVED', 'PAID', 'CONFIRMED']);
    expect(order!.updatedAt.getTime()).toBeGreaterThanOrEqual(order!.createdAt.getTime());
  });
});
