import { DashboardFeed } from './dashboard-feed';

const T0 = Date.parse('2026-01-15T10:00:30.000Z');

describe('DashboardFeed', () => {
  it('counts outcomes per second and revenue per minute', () => {
    const feed = new DashboardFeed();
    const base = { customerId: 'alice', reason: null, at: new Date(T0).toISOString() };
    feed.statusChanged({ ...base, orderId: 'a', status: 'PENDING' }, T0);
    feed.statusChanged({ ...base, orderId: 'b', status: 'PENDING' }, T0);
    feed.statusChanged({ ...base, orderId: 'a', status: 'CONFIRMED' }, T0 + 1000);
    feed.confirmed('a', 2500, T0 + 1000);

    const snapshot = feed.snapshot(T0 + 1500);
    expect(snapshot.perSecond.at(-1)).toMatchObject({ created: 0, confirmed: 1, cancelled: 0 });
    expect(snapshot.perSecond.at(-2)).toMatchObject({ created: 2, confirmed: 0 });
    expect(snapshot.revenuePerMinute.at(-1)).toEqual({ minute: '2026-01-15T10:00:00.000Z', revenueCents: 2500 });
    expect(snapshot.recentOrders.map((row) => [row.orderId, row.status, row.totalCents])).toEqual([
      ['a', 'CONFIRMED', 2500],
      ['b', 'PENDING', null],
    ]);
  });

  it('keeps only the last twenty orders and the last minute of rates', () => {
    const feed = new DashboardFeed();
    for (let index = 0; index < 25; index++) {
      feed.statusChanged({ orderId: `o${index}`, customerId: 'c', status: 'PENDING', reason: null, at: '' }, T0);
    }
    const later = feed.snapshot(T0 + 61_000);
    expect(later.recentOrders).toHaveLength(20);
    expect(later.recentOrders[0].orderId).toBe('o24');
    expect(later.perSecond.every((point) => point.created === 0)).toBe(true);
  });
});
