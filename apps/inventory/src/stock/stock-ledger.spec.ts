import { randomUUID } from 'node:crypto';
import { Topics } from '@orderflow/contracts';
import {
  decideReservation,
  releaseStock,
  Reservation,
  reserveStock,
  StockedProduct,
  StockLedger,
} from './stock-ledger';

/** An in-memory ledger: products by sku, reservations by order, and the order in which products were locked. */
class InMemoryLedger implements StockLedger {
  readonly products = new Map<string, StockedProduct>();
  readonly reservations = new Map<string, Reservation>();
  readonly lockedSkus: string[][] = [];

  constructor(products: StockedProduct[]) {
    for (const product of products) this.products.set(product.sku, { ...product });
  }

  stockOf(sku: string): number | undefined {
    return this.products.get(sku)?.stock;
  }

  async lockOrder(): Promise<void> {}

  async findReservation(orderId: string): Promise<Reservation | null> {
    return this.reservations.get(orderId) ?? null;
  }

  async lockProducts(skus: string[]): Promise<StockedProduct[]> {
    this.lockedSkus.push(skus);
    return skus.flatMap((sku) => {
      const product = this.products.get(sku);
      return product ? [{ ...product }] : [];
    });
  }

  async adjustStock(changes: { sku: string; delta: number }[]): Promise<void> {
    for (const { sku, delta } of changes) {
      const product = this.products.get(sku)!;
      if (product.stock + delta < 0) throw new Error(`stock of ${sku} would go negative`);
      product.stock += delta;
    }
  }

  async insertReservation(reservation: Reservation): Promise<void> {
    if (this.reservations.has(reservation.orderId)) throw new Error('duplicate key');
    this.reservations.set(reservation.orderId, { ...reservation });
  }

  async updateStatus(orderId: string, status: Reservation['status']): Promise<void> {
    this.reservations.get(orderId)!.status = status;
  }
}

function catalog(): InMemoryLedger {
  return new InMemoryLedger([
    { sku: 'MUG', priceCents: 1200, stock: 5 },
    { sku: 'PEN', priceCents: 150, stock: 1 },
    { sku: 'CUP-2', priceCents: 900, stock: 10 },
  ]);
}

describe('reserveStock', () => {
  it('reserves every line at the current price and takes the stock', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    const outcome = await reserveStock(ledger, {
      orderId,
      items: [
        { sku: 'MUG', quantity: 2 },
        { sku: 'PEN', quantity: 1 },
      ],
    });
    expect(outcome).toEqual({
      topic: Topics.StockReserved,
      payload: {
        orderId,
        items: [
          { sku: 'MUG', quantity: 2, unitPriceCents: 1200 },
          { sku: 'PEN', quantity: 1, unitPriceCents: 150 },
        ],
        totalCents: 2550,
      },
    });
    expect(ledger.stockOf('MUG')).toBe(3);
    expect(ledger.stockOf('PEN')).toBe(0);
    expect(ledger.reservations.get(orderId)?.status).toBe('RESERVED');
  });

  it('reserves nothing when one line is short, and says which is and by how much', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    const outcome = await reserveStock(ledger, {
      orderId,
      items: [
        { sku: 'MUG', quantity: 2 },
        { sku: 'PEN', quantity: 2 },
      ],
    });
    expect(outcome).toEqual({
      topic: Topics.StockRejected,
      payload: { orderId, reason: 'OUT_OF_STOCK', lines: [{ sku: 'PEN', requestedQuantity: 2, availableQuantity: 1 }] },
    });
    expect(ledger.stockOf('MUG')).toBe(5);
    expect(ledger.stockOf('PEN')).toBe(1);
    expect(ledger.reservations.get(orderId)).toMatchObject({ status: 'REJECTED', reason: 'OUT_OF_STOCK' });
  });

  it('rejects unknown skus before looking at stock', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    const outcome = await reserveStock(ledger, {
      orderId,
      items: [
        { sku: 'PEN', quantity: 9 },
        { sku: 'NOPE', quantity: 1 },
      ],
    });
    expect(outcome.payload).toEqual({ orderId, reason: 'UNKNOWN_SKU', lines: [{ sku: 'NOPE', requestedQuantity: 1 }] });
    expect(ledger.stockOf('PEN')).toBe(1);
  });

  it('counts a sku listed twice against its stock once', async () => {
    const ledger = catalog();
    const outcome = await reserveStock(ledger, {
      orderId: randomUUID(),
      items: [
        { sku: 'PEN', quantity: 1 },
        { sku: 'PEN', quantity: 1 },
      ],
    });
    expect(outcome.topic).toBe(Topics.StockRejected);
    expect(outcome.payload).toMatchObject({ lines: [{ sku: 'PEN', requestedQuantity: 2, availableQuantity: 1 }] });
    expect(ledger.stockOf('PEN')).toBe(1);
  });

  it('locks products in one order whatever the order of the lines, so reservations never deadlock', async () => {
    const ledger = catalog();
    await reserveStock(ledger, {
      orderId: randomUUID(),
      items: [
        { sku: 'PEN', quantity: 1 },
        { sku: 'MUG', quantity: 1 },
        { sku: 'CUP-2', quantity: 1 },
      ],
    });
    expect(ledger.lockedSkus).toEqual([['CUP-2', 'MUG', 'PEN']]);
  });

  it('answers a repeated reserve with the first answer and takes no more stock', async () => {
    const ledger = catalog();
    const command = { orderId: randomUUID(), items: [{ sku: 'MUG', quantity: 2 }] };
    const first = await reserveStock(ledger, command);
    const second = await reserveStock(ledger, command);
    expect(second).toEqual(first);
    expect(ledger.stockOf('MUG')).toBe(3);
  });

  it('repeats a rejection with its original reason even after a restock', async () => {
    const ledger = catalog();
    const command = { orderId: randomUUID(), items: [{ sku: 'PEN', quantity: 3 }] };
    const first = await reserveStock(ledger, command);
    ledger.products.get('PEN')!.stock = 50;
    expect(await reserveStock(ledger, command)).toEqual(first);
    expect(ledger.stockOf('PEN')).toBe(50);
  });

  it('repeats a rejection stored by the release before (skus alone) with the requested quantities', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    const items = [
      { sku: 'PEN', quantity: 2 },
      { sku: 'MUG', quantity: 1 },
      { sku: 'PEN', quantity: 1 },
    ];
    await ledger.insertReservation({
      orderId,
      status: 'REJECTED',
      items,
      reason: 'OUT_OF_STOCK',
      rejectedSkus: ['PEN'],
      rejectedLines: null,
    });
    expect((await reserveStock(ledger, { orderId, items })).payload).toEqual({
      orderId,
      reason: 'OUT_OF_STOCK',
      lines: [{ sku: 'PEN', requestedQuantity: 3 }],
    });
  });

  it('keeps the skus at fault beside the lines, for the instances of the release before', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    await reserveStock(ledger, { orderId, items: [{ sku: 'PEN', quantity: 3 }] });
    expect(ledger.reservations.get(orderId)).toMatchObject({
      rejectedSkus: ['PEN'],
      rejectedLines: [{ sku: 'PEN', requestedQuantity: 3, availableQuantity: 1 }],
    });
  });
});

describe('releaseStock', () => {
  it('gives reserved stock back once', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    await reserveStock(ledger, { orderId, items: [{ sku: 'MUG', quantity: 4 }] });
    expect(await releaseStock(ledger, { orderId })).toEqual({
      topic: Topics.StockReleased,
      payload: { orderId, restocked: true },
    });
    expect(await releaseStock(ledger, { orderId })).toEqual({
      topic: Topics.StockReleased,
      payload: { orderId, restocked: false },
    });
    expect(ledger.stockOf('MUG')).toBe(5);
    expect(ledger.reservations.get(orderId)?.status).toBe('RELEASED');
  });

  it('leaves a tombstone when the release comes first, so the late reserve is rejected', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    expect((await releaseStock(ledger, { orderId })).payload).toEqual({ orderId, restocked: false });
    const late = await reserveStock(ledger, { orderId, items: [{ sku: 'MUG', quantity: 1 }] });
    expect(late).toEqual({
      topic: Topics.StockRejected,
      payload: { orderId, reason: 'ORDER_RELEASED', lines: [{ sku: 'MUG', requestedQuantity: 1 }] },
    });
    expect(ledger.stockOf('MUG')).toBe(5);
  });

  it('rejects a reserve that follows the release of a reservation', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    await reserveStock(ledger, { orderId, items: [{ sku: 'MUG', quantity: 1 }] });
    await releaseStock(ledger, { orderId });
    const again = await reserveStock(ledger, { orderId, items: [{ sku: 'MUG', quantity: 1 }] });
    expect(again.payload).toMatchObject({ reason: 'ORDER_RELEASED' });
    expect(ledger.stockOf('MUG')).toBe(5);
  });

  it('restocks nothing for a rejected reservation', async () => {
    const ledger = catalog();
    const orderId = randomUUID();
    await reserveStock(ledger, { orderId, items: [{ sku: 'PEN', quantity: 2 }] });
    expect((await releaseStock(ledger, { orderId })).payload).toEqual({ orderId, restocked: false });
    expect(ledger.stockOf('PEN')).toBe(1);
    expect(ledger.reservations.get(orderId)?.status).toBe('REJECTED');
  });
});

describe('decideReservation', () => {
  it('lists every short sku with what was asked and what there is', () => {
    const products = [
      { sku: 'A', priceCents: 1, stock: 0 },
      { sku: 'B', priceCents: 1, stock: 2 },
      { sku: 'C', priceCents: 1, stock: 9 },
    ];
    const items = [
      { sku: 'C', quantity: 1 },
      { sku: 'B', quantity: 3 },
      { sku: 'A', quantity: 1 },
    ];
    expect(decideReservation(items, products)).toEqual({
      kind: 'rejected',
      reason: 'OUT_OF_STOCK',
      lines: [
        { sku: 'A', requestedQuantity: 1, availableQuantity: 0 },
        { sku: 'B', requestedQuantity: 3, availableQuantity: 2 },
      ],
    });
  });
});
