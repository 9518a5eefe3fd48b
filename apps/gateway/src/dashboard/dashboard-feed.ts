import type { CancelReason, OrderStatus, SkuUnits } from '@orderflow/contracts';

export type Outcome = 'created' | 'confirmed' | 'cancelled';

export interface OrderRow {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  reason: CancelReason | null;
  totalCents: number | null;
  at: string;
}

export interface ServiceHealth {
  name: string;
  state: string;
  members: number;
}

export interface DashboardSnapshot {
  at: string;
  /** Orders by outcome since this gateway started (`since`), each counted once however often delivered. */
  totals: Record<Outcome, number>;
  since: string;
  /** Orders per second by outcome, one point per second over the last minute (oldest first). */
  perSecond: { second: string; created: number; confirmed: number; cancelled: number }[];
  /** Revenue of confirmed orders per minute, as seen live by this gateway (oldest first). */
  revenuePerMinute: { minute: string; revenueCents: number }[];
  recentOrders: OrderRow[];
  topSkus: { windowStart: string; windowEnd: string; skus: SkuUnits[] } | null;
  deadLetters: { topic: string; count: number }[];
  services: ServiceHealth[];
}

const SECONDS = 60;
const MINUTES = 15;
const RECENT_ORDERS = 20;
/** How many (order, outcome) pairs are remembered to count a redelivered event once. */
const COUNTED_MEMORY = 10_000;

/**
 * What the dashboard shows, kept in memory by each gateway instance from the order events it consumes
 * from now on (its group of its own). Pure bookkeeping, so it is unit-tested without Kafka.
 */
export class DashboardFeed {
  private readonly perSecond = new Map<number, Record<Outcome, number>>();
  private readonly revenue = new Map<number, number>();
  private readonly orders = new Map<string, OrderRow>();
  private readonly counted = new Set<string>();
  private readonly totalsOfOrders = new Map<string, number>();
  private readonly totals: Record<Outcome, number> = { created: 0, confirmed: 0, cancelled: 0 };
  private readonly since = new Date().toISOString();
  topSkus: DashboardSnapshot['topSkus'] = null;
  deadLetters: DashboardSnapshot['deadLetters'] = [];
  services: ServiceHealth[] = [];

  /**
   * A new order (`order.created`: the orders service announces a new order with it, never with a status
   * change). It may arrive after the order's first status changes (another topic): a row that is
   * already there keeps its newer status. Returns the row as it now stands, to push to the pages.
   */
  created(order: Pick<OrderRow, 'orderId' | 'customerId' | 'at'>, now = Date.now()): OrderRow {
    this.count(order.orderId, 'created', now);
    const known = this.orders.get(order.orderId);
    if (known) return known;
    return this.remember({ ...order, status: 'PENDING', reason: null, totalCents: this.totalOf(order.orderId) });
  }

  /** Returns the row as it now stands, to push to the pages at once. */
  statusChanged(change: Omit<OrderRow, 'totalCents'>, now = Date.now()): OrderRow {
    const known = this.orders.get(change.orderId);
    if (change.status === 'CONFIRMED') this.count(change.orderId, 'confirmed', now);
    if (change.status === 'CANCELLED') this.count(change.orderId, 'cancelled', now);
    return this.remember({ ...change, totalCents: known?.totalCents ?? this.totalOf(change.orderId) });
  }

  /**
   * `order.confirmed` may come before the order's other events (another topic): its total waits for the
   * row. Returns the row when there is one, now with its total, to push to the pages: they take a row
   * they already show only from a push, not from a snapshot.
   */
  confirmed(orderId: string, totalCents: number, now = Date.now()): OrderRow | undefined {
    if (!this.counted.has(`${orderId}:revenue`)) {
      this.remembered(`${orderId}:revenue`);
      const minute = Math.floor(now / 60_000) * 60_000;
      this.revenue.set(minute, (this.revenue.get(minute) ?? 0) + totalCents);
    }
    this.totalsOfOrders.set(orderId, totalCents);
    if (this.totalsOfOrders.size > COUNTED_MEMORY) {
      this.totalsOfOrders.delete(this.totalsOfOrders.keys().next().value as string);
    }
    const row = this.orders.get(orderId);
    if (row) row.totalCents = totalCents;
    return row;
  }

  snapshot(now = Date.now()): DashboardSnapshot {
    const second = Math.floor(now / 1000);
    const minute = Math.floor(now / 60_000) * 60_000;
    for (const key of this.perSecond.keys()) if (key <= second - SECONDS) this.perSecond.delete(key);
    for (const key of this.revenue.keys()) if (key <= minute - MINUTES * 60_000) this.revenue.delete(key);
    return {
      at: new Date(now).toISOString(),
      totals: { ...this.totals },
      since: this.since,
      perSecond: Array.from({ length: SECONDS }, (_, index) => {
        const at = second - SECONDS + 1 + index;
        const counts = this.perSecond.get(at) ?? { created: 0, confirmed: 0, cancelled: 0 };
        return { second: new Date(at * 1000).toISOString(), ...counts };
      }),
      revenuePerMinute: Array.from({ length: MINUTES }, (_, index) => {
        const at = minute - (MINUTES - 1 - index) * 60_000;
        return { minute: new Date(at).toISOString(), revenueCents: this.revenue.get(at) ?? 0 };
      }),
      recentOrders: [...this.orders.values()].reverse(),
      topSkus: this.topSkus,
      deadLetters: this.deadLetters,
      services: this.services,
    };
  }

  /** The newest row of an order goes last (the most recent); the oldest beyond twenty go. */
  private remember(row: OrderRow): OrderRow {
    this.orders.delete(row.orderId);
    this.orders.set(row.orderId, row);
    while (this.orders.size > RECENT_ORDERS) this.orders.delete(this.orders.keys().next().value as string);
    return row;
  }

  private totalOf(orderId: string): number | null {
    return this.totalsOfOrders.get(orderId) ?? null;
  }

  /** Records that something of an order was counted; the oldest such records go beyond the memory's size. */
  private remembered(key: string): void {
    this.counted.add(key);
    if (this.counted.size > COUNTED_MEMORY) this.counted.delete(this.counted.values().next().value as string);
  }

  /** Counts an order's outcome once: a redelivered event (the gateway's consumer is at least once) is not a new order. */
  private count(orderId: string, outcome: Outcome, now: number): void {
    const key = `${orderId}:${outcome}`;
    if (this.counted.has(key)) return;
    this.remembered(key);
    this.totals[outcome] += 1;
    const second = Math.floor(now / 1000);
    const counts = this.perSecond.get(second) ?? { created: 0, confirmed: 0, cancelled: 0 };
    counts[outcome] += 1;
    this.perSecond.set(second, counts);
  }
}
