import {
  OrderItem,
  PayloadOf,
  PricedOrderItem,
  RejectedLine,
  StockRejectionReason,
  Topics,
} from '@orderflow/contracts';
import { ReservationStatus, StockReservationEntity } from './stock-reservation.entity';

export type Reservation = Pick<
  StockReservationEntity,
  'orderId' | 'status' | 'items' | 'reason' | 'rejectedSkus' | 'rejectedLines'
>;

export interface StockedProduct {
  sku: string;
  priceCents: number;
  stock: number;
}

/** What reserving and releasing need from storage, all inside the transaction of the handled command. */
export interface StockLedger {
  /** Serializes the commands of one order: reserve and release come on different topics and may run at once. */
  lockOrder(orderId: string): Promise<void>;
  findReservation(orderId: string): Promise<Reservation | null>;
  /** Locks the rows FOR UPDATE in `skus` order (ascending, byte order); unknown skus are simply absent. */
  lockProducts(skus: string[]): Promise<StockedProduct[]>;
  /** Adds `delta` (negative to take stock) to each product; the rows are already locked. */
  adjustStock(changes: { sku: string; delta: number }[]): Promise<void>;
  insertReservation(reservation: Reservation): Promise<void>;
  updateStatus(orderId: string, status: ReservationStatus): Promise<void>;
}

type OutcomeTopic = typeof Topics.StockReserved | typeof Topics.StockRejected | typeof Topics.StockReleased;

/** The event inventory answers a command with. */
export type StockOutcome = { [T in OutcomeTopic]: { topic: T; payload: PayloadOf<T> } }[OutcomeTopic];

export type ReservationDecision =
  | { kind: 'reserved'; items: PricedOrderItem[]; totalCents: number }
  | { kind: 'rejected'; reason: Extract<StockRejectionReason, 'UNKNOWN_SKU' | 'OUT_OF_STOCK'>; lines: RejectedLine[] };

/** Requested quantity per sku, in byte order: the order every transaction locks products in, so none deadlock. */
export function quantitiesBySku(items: OrderItem[]): Map<string, number> {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of items) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return new Map([...quantities].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** All lines or none: any unknown sku rejects the order, then any line short of stock does. */
export function decideReservation(items: OrderItem[], products: StockedProduct[]): ReservationDecision {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const quantities = quantitiesBySku(items);
  const unknown = [...quantities]
    .filter(([sku]) => !bySku.has(sku))
    .map(([sku, requestedQuantity]) => ({ sku, requestedQuantity }));
  if (unknown.length > 0) return { kind: 'rejected', reason: 'UNKNOWN_SKU', lines: unknown };
  const short = [...quantities]
    .map(([sku, requestedQuantity]) => ({ sku, requestedQuantity, availableQuantity: bySku.get(sku)!.stock }))
    .filter(({ requestedQuantity, availableQuantity }) => availableQuantity < requestedQuantity);
  if (short.length > 0) return { kind: 'rejected', reason: 'OUT_OF_STOCK', lines: short };
  const priced = items.map(({ sku, quantity }) => ({ sku, quantity, unitPriceCents: bySku.get(sku)!.priceCents }));
  return { kind: 'reserved', items: priced, totalCents: totalOf(priced) };
}

/**
 * Reserves every line of an order or none. A reserve for an order already answered (a redelivery with a
 * new event id, or one that follows a release) gets that answer again and changes nothing.
 */
export async function reserveStock(
  ledger: StockLedger,
  command: PayloadOf<typeof Topics.InventoryReserve>,
): Promise<StockOutcome> {
  const { orderId, items } = command;
  await ledger.lockOrder(orderId);
  const existing = await ledger.findReservation(orderId);
  if (existing) return repeatedReserveOutcome(existing, items);

  const quantities = quantitiesBySku(items);
  const decision = decideReservation(items, await ledger.lockProducts([...quantities.keys()]));
  if (decision.kind === 'rejected') {
    const requested = items.map(({ sku, quantity }) => ({ sku, quantity }));
    await ledger.insertReservation({
      orderId,
      status: 'REJECTED',
      items: requested,
      reason: decision.reason,
      // Still written for the instances of the release before, which read only the skus.
      rejectedSkus: decision.lines.map((line) => line.sku),
      rejectedLines: decision.lines,
    });
    return rejected(orderId, decision.reason, decision.lines);
  }
  await ledger.adjustStock([...quantities].map(([sku, quantity]) => ({ sku, delta: -quantity })));
  await ledger.insertReservation({
    orderId,
    status: 'RESERVED',
    items: decision.items,
    reason: null,
    rejectedSkus: [],
    rejectedLines: null,
  });
  return reserved(orderId, decision.items);
}

/**
 * Gives reserved stock back once. Without a reservation the release leaves a RELEASED tombstone, so a
 * reserve that arrives later is rejected instead of holding stock for a cancelled order.
 */
export async function releaseStock(
  ledger: StockLedger,
  command: PayloadOf<typeof Topics.InventoryRelease>,
): Promise<StockOutcome> {
  const { orderId } = command;
  await ledger.lockOrder(orderId);
  const existing = await ledger.findReservation(orderId);
  if (!existing) {
    await ledger.insertReservation({
      orderId,
      status: 'RELEASED',
      items: [],
      reason: null,
      rejectedSkus: [],
      rejectedLines: null,
    });
    return released(orderId, false);
  }
  if (existing.status !== 'RESERVED') return released(orderId, false);
  const quantities = quantitiesBySku(existing.items);
  await ledger.lockProducts([...quantities.keys()]);
  await ledger.adjustStock([...quantities].map(([sku, quantity]) => ({ sku, delta: quantity })));
  await ledger.updateStatus(orderId, 'RELEASED');
  return released(orderId, true);
}

/** A reserve for an order inventory already answered gets that answer again. */
function repeatedReserveOutcome(existing: Reservation, requested: OrderItem[]): StockOutcome {
  switch (existing.status) {
    case 'RESERVED':
      return reserved(existing.orderId, existing.items as PricedOrderItem[]);
    case 'RELEASED':
      return rejected(existing.orderId, 'ORDER_RELEASED', requestedLines(requested));
    case 'REJECTED':
      return rejected(
        existing.orderId,
        existing.reason ?? 'OUT_OF_STOCK',
        existing.rejectedLines ?? linesOfSkus(existing.rejectedSkus, existing.items),
      );
    default: {
      const unknownStatus: never = existing.status;
      throw new Error(`Unknown reservation status ${String(unknownStatus)}`);
    }
  }
}

function reserved(orderId: string, items: PricedOrderItem[]): StockOutcome {
  return { topic: Topics.StockReserved, payload: { orderId, items, totalCents: totalOf(items) } };
}

function rejected(orderId: string, reason: StockRejectionReason, lines: RejectedLine[]): StockOutcome {
  return { topic: Topics.StockRejected, payload: { orderId, reason, lines } };
}

function requestedLines(items: OrderItem[]): RejectedLine[] {
  return [...quantitiesBySku(items)].map(([sku, requestedQuantity]) => ({ sku, requestedQuantity }));
}

/** A rejection stored by the release before, which kept the skus alone: the requested quantities are in its items. */
function linesOfSkus(skus: string[], items: OrderItem[]): RejectedLine[] {
  const requested = quantitiesBySku(items);
  return skus.map((sku) => ({ sku, requestedQuantity: requested.get(sku) }));
}

function released(orderId: string, restocked: boolean): StockOutcome {
  return { topic: Topics.StockReleased, payload: { orderId, restocked } };
}

function totalOf(items: PricedOrderItem[]): number {
  return items.reduce((total, item) => total + item.quantity * item.unitPriceCents, 0);
}
