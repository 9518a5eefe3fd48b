import { Topics } from '@orderflow/contracts';
import { RequestClient } from '@orderflow/messaging';
import { AnalyticsService } from './analytics.service';

// @nestjs/typeorm is an ES module that Jest cannot require on Node 20 (import.meta); only its decorators are used here.
jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
}));

describe('gateway AnalyticsService', () => {
  it('asks the analytics service for cancellations, keyed by the reason', async () => {
    const items = [
      {
        reason: 'OUT_OF_STOCK',
        windowStart: '2026-01-15T10:00:00.000Z',
        windowEnd: '2026-01-15T10:01:00.000Z',
        count: 2,
      },
    ];
    const request = jest.fn().mockResolvedValue({ items });
    const analytics = new AnalyticsService({ request } as unknown as RequestClient);

    await expect(analytics.cancellations({ reason: 'OUT_OF_STOCK', limit: 20 }, 'req-1')).resolves.toEqual({ items });
    expect(request).toHaveBeenCalledWith(
      Topics.AnalyticsCancellations,
      { reason: 'OUT_OF_STOCK', limit: 20 },
      { correlationId: 'req-1', key: 'OUT_OF_STOCK' },
    );
  });
});
