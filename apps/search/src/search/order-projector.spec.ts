import { Topics } from '@orderflow/contracts';
import { OrderFacts, OrderProjectionRepository, ProductFacts } from './order-projection.repository';
import { OrderProjector, ProjectedMessage, ProjectedTopic } from './order-projector';

jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

const orderId = '0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e11';
const occurredAt = '2026-01-15T10:00:00.000Z';

function envelope<T extends ProjectedTopic>(type: T, payload: ProjectedMessage[T]['payload'], version = 3) {
  return {
    eventId: 'e1',
    type,
    occurredAt,
    correlationId: 'c1',
    aggregateId: orderId,
    aggregateVersion: version,
    payload,
  } as ProjectedMessage[T];
}

describe('OrderProjector', () => {
  const merged: { orders: OrderFacts[]; products: ProductFacts[] } = { orders: [], products: [] };
  const repository = {
    mergeOrder: async (facts: OrderFacts) => void merged.orders.push(facts),
    mergeProduct: async (facts: ProductFacts) => void merged.products.push(facts),
  } as unknown as OrderProjectionRepository;
  const projector = new OrderProjector(repository);

  beforeEach(() => {
    merged.orders = [];
    merged.products = [];
  });

  it('states a new order as PENDING at its version, with unpriced lines', async () => {
    await projector.apply(
      Topics.OrderCreated,
      envelope(Topics.OrderCreated, { orderId, customerId: 'alice', items: [{ sku: 'BOOK-1', quantity: 2 }] }, 1),
    );
    expect(merged.orders).toEqual([
      {
        orderId,
        occurredAt,
        customerId: 'alice',
        status: { status: 'PENDING', version: 1 },
        lines: [{ sku: 'BOOK-1', quantity: 2, unitPriceCents: null }],
      },
    ]);
  });

  it('states the status and reason of a status change', async () => {
    const payload = {
      orderId,
      customerId: 'alice',
      status: 'CANCELLING',
      previousStatus: 'PENDING',
      reason: 'CUSTOMER_CANCELLED',
    } as const;
    await projector.apply(Topics.OrderStatusChanged, envelope(Topics.OrderStatusChanged, payload));
    expect(merged.orders[0]).toMatchObject({
      status: { status: 'CANCELLING', version: 3 },
      cancelReason: 'CUSTOMER_CANCELLED',
    });
  });

  it('states the total of a confirmed order and the reason of a cancelled one', async () => {
    await projector.apply(
      Topics.OrderConfirmed,
      envelope(Topics.OrderConfirmed, { orderId, customerId: 'alice', totalCents: 2800 }),
    );
    await projector.apply(
      Topics.OrderCancelled,
      envelope(
        Topics.OrderCancelled,
        { orderId, customerId: 'alice', reason: 'PAYMENT_DECLINED', refundedCents: 0 },
        4,
      ),
    );
    expect(merged.orders).toEqual([
      expect.objectContaining({ status: { status: 'CONFIRMED', version: 3 }, totalCents: 2800 }),
      expect.objectContaining({ status: { status: 'CANCELLED', version: 4 }, cancelReason: 'PAYMENT_DECLINED' }),
    ]);
  });

  it('states prices and total from a reservation, but no status (its version is not the order’s)', async () => {
    const items = [{ sku: 'BOOK-1', quantity: 2, unitPriceCents: 1250 }];
    await projector.apply(Topics.StockReserved, envelope(Topics.StockReserved, { orderId, items, totalCents: 2500 }));
    expect(merged.orders).toEqual([{ orderId, occurredAt, totalCents: 2500, lines: items }]);
  });

  it('merges a registered product, not an order', async () => {
    await projector.apply(
      Topics.ProductRegistered,
      envelope(Topics.ProductRegistered, { sku: 'BOOK-1', name: 'A book', priceCents: 1250 }),
    );
    expect(merged).toEqual({ orders: [], products: [{ sku: 'BOOK-1', name: 'A book', priceCents: 1250, occurredAt }] });
  });
});
