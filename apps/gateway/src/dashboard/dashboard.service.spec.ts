import { OrderConfirmedMessage, OrderStatusChangedMessage } from '@orderflow/contracts';
import { KafkaConnection, RequestClient } from '@orderflow/messaging';
import { DashboardFeed } from './dashboard-feed';
import { DashboardEvent, DashboardService } from './dashboard.service';

// @nestjs/typeorm is an ES module that Jest cannot require on Node 20 (import.meta); only its decorators are used here.
jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
}));

/** Counts the rounds of questions the dashboard asks Kafka (one admin client per round). */
function setUp() {
  const admin = {
    connect: jest.fn(async () => undefined),
    listTopics: jest.fn(async () => ['order.created.dlq']),
    fetchTopicOffsets: jest.fn(async () => [{ partition: 0, high: '3', low: '1' }]),
    listGroups: jest.fn(async () => ({ groups: [] })),
    describeGroups: jest.fn(async () => ({ groups: [] })),
    disconnect: jest.fn(async () => undefined),
  };
  const kafka = { admin: jest.fn(() => admin) } as unknown as KafkaConnection;
  const requests = { request: jest.fn(async () => ({ skus: [] })) } as unknown as RequestClient;
  const dashboard = new DashboardService(kafka, requests);
  return { dashboard, rounds: () => (kafka.admin as jest.Mock).mock.calls.length, requests };
}

describe('DashboardService', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('asks Kafka and analytics nothing, and builds no snapshot, while no page is open', async () => {
    const { dashboard, rounds, requests } = setUp();
    const snapshots = jest.spyOn(DashboardFeed.prototype, 'snapshot');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(rounds()).toBe(0);
    expect(requests.request).not.toHaveBeenCalled();
    expect(snapshots).not.toHaveBeenCalled();
    dashboard.onApplicationShutdown();
  });

  it('pushes a snapshot every second while a page is open, and none once the last closes', async () => {
    const { dashboard } = setUp();
    const events: { type: string }[] = [];
    const page = dashboard.stream().subscribe((event) => events.push(event));
    await jest.advanceTimersByTimeAsync(3_000);
    expect(events.filter((event) => event.type === 'snapshot')).toHaveLength(4);
    page.unsubscribe();
    const snapshots = jest.spyOn(DashboardFeed.prototype, 'snapshot');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(snapshots).not.toHaveBeenCalled();
    dashboard.onApplicationShutdown();
  });

  it('refreshes when the first page opens and every 5 s while any is, and stops when the last closes', async () => {
    const { dashboard, rounds } = setUp();
    const snapshots: unknown[] = [];
    const first = dashboard.stream().subscribe((event) => snapshots.push(event));
    await jest.advanceTimersByTimeAsync(0);
    expect(rounds()).toBe(1);

    const second = dashboard.stream().subscribe(() => undefined);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(rounds()).toBe(3);

    first.unsubscribe();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(rounds()).toBe(4);
    second.unsubscribe();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(rounds()).toBe(4);
    expect(snapshots).toContainEqual({
      type: 'snapshot',
      data: expect.objectContaining({ deadLetters: [{ topic: 'order.created.dlq', count: 2 }] }),
    });
    dashboard.onApplicationShutdown();
  });

  it('pushes the row again when its total arrives after its status: a page takes no known row from a snapshot', async () => {
    const { dashboard } = setUp();
    // As the page receives them: serialized when sent.
    const pushed: DashboardEvent[] = [];
    const page = dashboard.stream().subscribe((event) => pushed.push(JSON.parse(JSON.stringify(event))));
    const orderId = '9b2f5c7e-0f6a-4c55-9d47-3f1e2a6b8c01';
    const envelope = { eventId: orderId, occurredAt: '2026-12-03T18:00:00.000Z' };
    dashboard.statusChanged({
      ...envelope,
      payload: { orderId, customerId: 'alice', status: 'CONFIRMED' },
    } as unknown as OrderStatusChangedMessage);
    dashboard.confirmed({ ...envelope, payload: { orderId, totalCents: 123_456 } } as unknown as OrderConfirmedMessage);

    const rows = pushed.flatMap((event) => (event.type === 'order' ? [event.data] : []));
    expect(rows.map((row) => row.totalCents)).toEqual([null, 123_456]);
    page.unsubscribe();
    dashboard.onApplicationShutdown();
  });
});
