import { ConsumerLag } from './consumer-lag';
import { OrderflowMetrics } from './orderflow-metrics';
import { OutboxBacklog, OutboxBacklogReading } from './outbox-backlog';
import { ScrapedGauges } from './scraped-gauges';

// Jest here cannot load @nestjs/typeorm (it comes in through @orderflow/messaging); nothing below uses it.
jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
}));

const brokerAway = { read: () => Promise.reject(new Error('no broker')) } as unknown as ConsumerLag;

async function scrapeOutbox(read: () => Promise<OutboxBacklogReading | null>): Promise<string[]> {
  const metrics = new OrderflowMetrics('orders');
  new ScrapedGauges(metrics, { read } as OutboxBacklog, brokerAway).onModuleInit();
  const text = await metrics.registry.metrics();
  return text.split('\n').filter((line) => line.startsWith('orderflow_outbox_'));
}

describe('ScrapedGauges', () => {
  it('reads the outbox backlog when Prometheus scrapes', async () => {
    expect(await scrapeOutbox(() => Promise.resolve({ unpublished: 4, oldestAgeSeconds: 12 }))).toEqual([
      'orderflow_outbox_unpublished_messages{service="orders"} 4',
      'orderflow_outbox_oldest_unpublished_age_seconds{service="orders"} 12',
    ]);
  });
});
