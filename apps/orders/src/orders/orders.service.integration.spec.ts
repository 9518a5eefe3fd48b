import { CreateOrderRequest } from '@orderflow/contracts';
import {
  MessageTransactions,
  messagingEntities,
  messagingMigrations,
  pollUntil,
  RequestRejectedError,
} from '@orderflow/messaging';
import { relayWokenByHand } from '@orderflow/messaging/testing';
import { useTestDatabase } from '@orderflow/persistence/testing';
import { randomUUID } from 'node:crypto';
import { OrdersTables1764100000100 } from '../migrations/1764100000100-orders-tables';
import { IdempotencyFingerprint1764100000200 } from '../migrations/1764100000200-idempotency-fingerprint';
import { OrderLineEntity } from './order-line.entity';
import { OrderStatusChangeEntity } from './order-status-change.entity';
import { OrderEntity } from './order.entity';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

jest.mock('@nestjs/typeorm', () => ({
  InjectDataSource: () => () => undefined,
  InjectRepository: () => () => undefined,
}));

/** Idempotency-Key on a real PostgreSQL: a repeat, a reuse with another request, one in flight, the window. */
describe('OrdersService.create with an idempotency key', () => {
  const database = useTestDatabase(
    'orders_idempotency',
    [...messagingEntities, OrderEntity, OrderLineEntity, OrderStatusChangeEntity],
    [...messagingMigrations, OrdersTables1764100000100, IdempotencyFingerprint1764100000200],
    6,
  );
  let orders: OrdersService;
  /** Another instance of the service on the same database: its own transactions, not grouped with this one's. */
  const anotherInstance = () => {
    const transactions = new MessageTransactions(database(), relayWokenByHand(), { service: 'orders' });
    return new OrdersService(new OrdersRepository(database().getRepository(OrderEntity)), transactions);
  };

  beforeAll(() => {
    orders = anotherInstance();
  });

  const request = (idempotencyKey: string, quantity = 1): CreateOrderRequest => ({
    customerId: 'alice',
    items: [{ sku: 'BOOK-1', quantity }],
    idempotencyKey,
  });
  const ordersWithKey = (key: string) =>
    database().query(
      `SELECT o.id, o.idempotency_key, l.quantity FROM customer_order o JOIN order_line l ON l.order_id = o.id
        WHERE o.idempotency_key = $1 OR o.id IN (SELECT id FROM customer_order WHERE idempotency_key = $1)`,
      [key],
    ) as Promise<{ id: string; quantity: number }[]>;
  const reused = expect.objectContaining({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });

  it('answers the same request again with the order it placed', async () => {
    const key = randomUUID();
    const first = await orders.create(request(key), 'correlation-1');
    await expect(orders.create(request(key), 'correlation-2')).resolves.toEqual(first);
    expect(await ordersWithKey(key)).toEqual([{ id: first.id, idempotency_key: key, quantity: 1 }]);
  });

  it('refuses the key with another request, and leaves the first order as it was', async () => {
    const key = randomUUID();
    const first = await orders.create(request(key, 1), 'correlation-1');
    const refusal = orders.create(request(key, 5), 'correlation-2');
    await expect(refusal).rejects.toBeInstanceOf(RequestRejectedError);
    await expect(refusal).rejects.toEqual(reused);
    expect(await ordersWithKey(key)).toEqual([{ id: first.id, idempotency_key: key, quantity: 1 }]);
  });

  it('makes a request with the key wait while the first is in flight, then answers it as a repeat or refuses it', async () => {
    const key = randomUUID();
    // Three instances, as in a rebalance: within one, the later requests would queue behind the first's
    // transaction (MessageTransactions groups them) instead of waiting on the database.
    const [second, third] = [anotherInstance(), anotherInstance()];
    // Holds the first request inside its transaction: it has claimed the key (written the order) and waits
    // to write its messages.
    const holder = database().createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('LOCK TABLE outbox_message IN EXCLUSIVE MODE');
    let first: Promise<{ id: string }> | undefined;
    let repeat: Promise<{ id: string }> | undefined;
    let other: Promise<unknown> | undefined;
    try {
      first = orders.create(request(key, 1), 'correlation-1');
      await untilWaitingLocks(1);
      repeat = second.create(request(key, 1), 'correlation-2');
      other = third.create(request(key, 5), 'correlation-3');
      other.catch(() => undefined);
      // Both wait on the first one's claim of the key (the unique index), not past it.
      await untilWaitingLocks(3);
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    const placed = await first!;
    await expect(repeat).resolves.toEqual(placed);
    await expect(other).rejects.toEqual(reused);
    expect(await ordersWithKey(key)).toEqual([{ id: placed.id, idempotency_key: key, quantity: 1 }]);
  });

  it('answers requests with the key that one instance took while the first was in flight', async () => {
    const key = randomUUID();
    const [first, repeat, other] = [
      orders.create(request(key, 1), 'correlation-1'),
      orders.create(request(key, 1), 'correlation-2'),
      orders.create(request(key, 5), 'correlation-3'),
    ];
    const placed = await first;
    await expect(repeat).resolves.toEqual(placed);
    await expect(other).rejects.toEqual(reused);
    expect(await ordersWithKey(key)).toEqual([{ id: placed.id, idempotency_key: key, quantity: 1 }]);
  });

  it('lets the key place a new order once its window is over', async () => {
    const key = randomUUID();
    const first = await orders.create(request(key, 1), 'correlation-1');
    await database().query(`UPDATE customer_order SET created_at = now() - interval '25 hours' WHERE id = $1`, [
      first.id,
    ]);
    const second = await orders.create(request(key, 5), 'correlation-2');
    expect(second.id).not.toBe(first.id);
    const rows = await database().query(`SELECT id, idempotency_key FROM customer_order WHERE id = ANY($1::uuid[])`, [
      [first.id, second.id],
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        { id: first.id, idempotency_key: null },
        { id: second.id, idempotency_key: key },
      ]),
    );
  });

  /** Until `count` lock requests of this database wait (not granted): the requests are where the test holds them. */
  function untilWaitingLocks(count: number): Promise<void> {
    return pollUntil(
      async () => {
        const [{ waiting }] = (await database().query(
          `SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE NOT l.granted AND a.datname = current_database()`,
        )) as { waiting: number }[];
        return waiting >= count;
      },
      { timeoutMs: 15_000, intervalMs: 20, timedOut: () => new Error(`fewer than ${count} requests wait on a lock`) },
    );
  }
});
