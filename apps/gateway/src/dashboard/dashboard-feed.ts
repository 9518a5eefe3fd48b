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

/**
 * What the dashboard shows, kept in memory by each gateway instance from the order events it consumes
 * from now on (its group of its own). Pure bookkeeping, so it is unit-tested without Kafka.
 */
export class DashboardFeed {
  private readonly perSecond = new Map<number, Record<Outcome, number>>();
  private readonly revenue = new Map<number, number>();
  private readonly orders = new Map<string, OrderRow>();
  topSkus: DashboardSnapshot['topSkus'] = null;
  deadLetters: DashboardSnapshot['deadLetters'] = [];
  services: ServiceHealth[] = [];

  /** Returns the row as it now stands, to push to the pages at once. */
  statusChanged(change: Omit<OrderRow, 'totalCents'>, now = Date.now()): OrderRow {
    const known = this.orders.get(change.orderId);
    const row: OrderRow = { ...change, totalCents: known?.totalCents ?? null };
    this.orders.delete(change.orderId);
    this.orders.set(change.orderId, row);
    while (this.orders.size > RECENT_ORDERS) this.orders.delete(this.orders.keys().next().value as string);
    if (change.status === 'PENDING') this.count('created', now);
    if (change.status === 'CONFIRMED') this.count('confirmed', now);
    if (change.status === 'CANCELLED') this.count('cancelled', now);
    return row;
  }

  confirmed(orderId: string, totalCents: number, now = Date.now()): void {
    const minute = Math.floor(now / 60_000) * 60_000;
    this.revenue.set(minute, (this.revenue.get(minute) ?? 0) + totalCents);
    const row = this.orders.get(orderId);
    if (row) row.totalCents = totalCents;
  }

  snapshot(now = Date.now()): DashboardSnapshot {
    const second = Math.floor(now / 1000);
    const minute = Math.floor(now / 60_000) * 60_000;
    for (const key of this.perSecond.keys()) if (key <= second - SECONDS) this.perSecond.delete(key);
    for (const key of this.revenue.keys()) if (key <= minute - MINUTES * 60_000) this.revenue.delete(key);
    return {
      at: new Date(now).toISOString(),
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

  private count(outcome: Outcome, now: number): void {
    const second = Math.floor(now / 1000);
    const counts = this.perSecond.get(second) ?? { created: 0, confirmed: 0, cancelled: 0 };
    counts[outcome] += 1;
    this.perSecond.set(second, counts);
  }
}
