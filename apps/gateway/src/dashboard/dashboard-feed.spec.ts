import { DashboardFeed } from './dashboard-feed';

const T0 = Date.parse('2026-01-15T10:00:30.000Z');

describe('DashboardFeed', () => {
  const at = new Date(T0).toISOString();
  const base = { customerId: 'alice', reason: null, at };

  it('counts a new order from order.created, outcomes from status changes, and revenue per minute', () => {
    const feed = new DashboardFeed();
    feed.created({ orderId: 'a', customerId: 'alice', at }, T0);
    feed.created({ orderId: 'b', customerId: 'alice', at }, T0);
    feed.statusChanged({ ...base, orderId: 'a', status: 'STOCK_RESERVED' }, T0 + 1000);
    feed.statusChanged({ ...base, orderId: 'a', status: 'CONFIRMED' }, T0 + 1000);
    feed.confirmed('a', 2500, T0 + 1000);
    feed.statusChanged({ ...base, orderId: 'b', status: 'CANCELLED', reason: 'OUT_OF_STOCK' }, T0 + 1000);

    const snapshot = feed.snapshot(T0 + 1500);
    expect(snapshot.perSecond.at(-2)).toMatchObject({ created: 2, confirmed: 0, cancelled: 0 });
    expect(snapshot.perSecond.at(-1)).toMatchObject({ created: 0, confirmed: 1, cancelled: 1 });
    expect(snapshot.totals).toEqual({ created: 2, confirmed: 1, cancelled: 1 });
    expect(snapshot.revenuePerMinute.at(-1)).toEqual({ minute: '2026-01-15T10:00:00.000Z', revenueCents: 2500 });
    expect(snapshot.recentOrders.map((row) => [row.orderId, row.status, row.totalCents])).toEqual([
      ['b', 'CANCELLED', null],
      ['a', 'CONFIRMED', 2500],
    ]);
  });

  it('counts a redelivered event once', () => {
    const feed = new DashboardFeed();
    for (let delivery = 0; delivery < 3; delivery++) {
      feed.created({ orderId: 'a', customerId: 'alice', at }, T0);
      feed.statusChanged({ ...base, orderId: 'a', status: 'CONFIRMED' }, T0);
    }
    expect(feed.snapshot(T0 + 500).totals).toEqual({ created: 1, confirmed: 1, cancelled: 0 });
  });

  it('shows the total of an order whose order.confirmed arrives before its other events, and its revenue once', () => {
    const feed = new DashboardFeed();
    feed.confirmed('a', 900, T0);
    feed.confirmed('a', 900, T0);
    const row = feed.created({ orderId: 'a', customerId: 'alice', at }, T0);
    expect(row.totalCents).toBe(900);
    expect(feed.snapshot(T0).revenuePerMinute.at(-1)?.revenueCents).toBe(900);
  });

  it('keeps the newer status of an order whose order.created arrives after its status changes', () => {
    const feed = new DashboardFeed();
    feed.statusChanged({ ...base, orderId: 'a', status: 'CONFIRMED' }, T0);
    const row = feed.created({ orderId: 'a', customerId: 'alice', at }, T0);
    expect(row.status).toBe('CONFIRMED');
    expect(feed.snapshot(T0).totals).toEqual({ created: 1, confirmed: 1, cancelled: 0 });
  });

  it('keeps only the last twenty orders and the last minute of rates, and the totals for good', () => {
    const feed = new DashboardFeed();
    for (let index = 0; index < 25; index++) feed.created({ orderId: `o${index}`, customerId: 'c', at: '' }, T0);
    const later = feed.snapshot(T0 + 61_000);
    expect(later.recentOrders).toHaveLength(20);
    expect(later.recentOrders[0].orderId).toBe('o24');
    expect(later.perSecond.every((point) => point.created === 0)).toBe(true);
    expect(later.totals.created).toBe(25);
  });
});
