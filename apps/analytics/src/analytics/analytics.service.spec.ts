import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';

// @nestjs/typeorm is an ES module that Jest cannot require on Node 20 (import.meta); only its decorators are used here.
jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
}));

describe('AnalyticsService', () => {
  it('answers cancellations per reason and closed window with the window bounds as ISO times', async () => {
    const findCancellations = jest.fn().mockResolvedValue([
      {
        reason: 'PAYMENT_DECLINED',
        windowStart: new Date('2026-01-15T10:01:00Z'),
        windowEnd: new Date('2026-01-15T10:02:00Z'),
        count: 3,
      },
      {
        reason: 'OUT_OF_STOCK',
        windowStart: new Date('2026-01-15T10:00:00Z'),
        windowEnd: new Date('2026-01-15T10:01:00Z'),
        count: 1,
      },
    ]);
    const analytics = new AnalyticsService({ findCancellations } as unknown as AnalyticsRepository);
    const request = { since: '2026-01-15T10:00:00Z' };

    await expect(analytics.cancellations(request)).resolves.toEqual({
      items: [
        {
          reason: 'PAYMENT_DECLINED',
          windowStart: '2026-01-15T10:01:00.000Z',
          windowEnd: '2026-01-15T10:02:00.000Z',
          count: 3,
        },
        {
          reason: 'OUT_OF_STOCK',
          windowStart: '2026-01-15T10:00:00.000Z',
          windowEnd: '2026-01-15T10:01:00.000Z',
          count: 1,
        },
      ],
    });
    expect(findCancellations).toHaveBeenCalledWith(request);
  });
});
