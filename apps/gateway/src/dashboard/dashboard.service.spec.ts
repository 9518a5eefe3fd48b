import { KafkaConnection, RequestClient } from '@orderflow/messaging';
import { DashboardFeed } from './dashboard-feed';
import { DashboardService } from './dashboard.service';

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
});
