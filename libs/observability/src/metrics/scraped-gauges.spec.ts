import { ConsumerLag } from './consumer-lag';
import { MessageTableSize, MessageTableSizes } from './message-table-sizes';
import { OrderflowMetrics } from './orderflow-metrics';
import { OutboxBacklog, OutboxBacklogReading } from './outbox-backlog';
import { ScrapedGauges } from './scraped-gauges';

// Jest here cannot load @nestjs/typeorm (it comes in through @orderflow/messaging); nothing below uses it.
jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
}));

const noTables = { read: () => Promise.resolve([]) } as unknown as MessageTableSizes;

async function scrapeTables(sizes: MessageTableSize[]): Promise<string[]> {
  const metrics = new OrderflowMetrics('orders');
  const tables = { read: () => Promise.resolve(sizes) } as unknown as MessageTableSizes;
  new ScrapedGauges(metrics, { read: () => Promise.resolve(null) } as OutboxBacklog, brokerAway, tables).onModuleInit();
  const text = await metrics.registry.metrics();
  return text.split('\n').filter((line) => line.startsWith('orderflow_message_table_'));
}

const brokerAway = { read: () => Promise.reject(new Error('no broker')) } as unknown as ConsumerLag;

async function scrapeOutbox(read: () => Promise<OutboxBacklogReading | null>): Promise<string[]> {
  const metrics = new OrderflowMetrics('orders');
  new ScrapedGauges(metrics, { read } as OutboxBacklog, brokerAway, noTables).onModuleInit();
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

  it('reads the message tables sizes when Prometheus scrapes', async () => {
    expect(
      await scrapeTables([
        { table: 'outbox', bytes: 81920, estimatedRows: 12 },
        { table: 'inbox', bytes: 40960, estimatedRows: 300 },
      ]),
    ).toEqual([
      'orderflow_message_table_bytes{table="outbox",service="orders"} 81920',
      'orderflow_message_table_bytes{table="inbox",service="orders"} 40960',
      'orderflow_message_table_rows_estimated{table="outbox",service="orders"} 12',
      'orderflow_message_table_rows_estimated{table="inbox",service="orders"} 300',
    ]);
  });
});
