import { ConsumerLag } from './consumer-lag';
import { orderflowMetricsProvider } from './orderflow-metrics';
import { MessageTableSizes } from './message-table-sizes';
import { OutboxBacklog } from './outbox-backlog';
import { ScrapedGauges } from './scraped-gauges';

// Jest here cannot load @nestjs/typeorm (it comes in through @orderflow/messaging); nothing below uses it.
jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
}));

describe('orderflowMetricsProvider', () => {
  it('gives every app instance its own registry, so a start tried again in one process registers its gauges again', () => {
    const provider = orderflowMetricsProvider('orders');
    for (let attempt = 1; attempt <= 2; attempt++) {
      const gauges = new ScrapedGauges(
        provider.useFactory(),
        new OutboxBacklog(),
        {} as ConsumerLag,
        new MessageTableSizes(),
      );
      expect(() => gauges.onModuleInit()).not.toThrow();
    }
  });
});
