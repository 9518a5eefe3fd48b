import { MoreThanOrEqual, Repository } from 'typeorm';
import {
  CancellationCountEntity,
  CustomerTotalsEntity,
  SkuWindowSalesEntity,
  TopSkusEntity,
} from './analytics-entities';
import { AnalyticsRepository } from './analytics.repository';

// @nestjs/typeorm is an ES module that Jest cannot require on Node 20 (import.meta); only its decorators are used here.
jest.mock('@nestjs/typeorm', () => ({
  InjectRepository: () => () => undefined,
  InjectDataSource: () => () => undefined,
}));

function repositoryFinding<Entity extends object>(rows: Entity[] = []): Repository<Entity> {
  return { find: jest.fn().mockResolvedValue(rows) } as unknown as Repository<Entity>;
}

describe('AnalyticsRepository', () => {
  const cancellations = repositoryFinding<CancellationCountEntity>();
  const analytics = new AnalyticsRepository(
    repositoryFinding<SkuWindowSalesEntity>(),
    repositoryFinding<TopSkusEntity>(),
    repositoryFinding<CustomerTotalsEntity>(),
    cancellations,
  );
  const find = cancellations.find as jest.Mock;

  beforeEach(() => find.mockClear());

  it('reads the cancellations of one reason since a time, newest window first', async () => {
    await analytics.findCancellations({ since: '2026-01-15T10:00:00Z', reason: 'OUT_OF_STOCK', limit: 20 });
    expect(find).toHaveBeenCalledWith({
      where: { windowStart: MoreThanOrEqual(new Date('2026-01-15T10:00:00Z')), reason: 'OUT_OF_STOCK' },
      order: { windowStart: 'DESC', count: 'DESC', reason: 'ASC' },
      take: 20,
    });
  });

  it('reads every reason of one window, which wins over since, up to the default limit', async () => {
    await analytics.findCancellations({ window: '2026-01-15T10:03:00Z', since: '2026-01-15T10:00:00Z' });
    expect(find).toHaveBeenCalledWith(
      expect.objectContaining({ where: { windowStart: new Date('2026-01-15T10:03:00Z') }, take: 500 }),
    );
  });

  it('reads every window of every reason without a filter', async () => {
    await analytics.findCancellations({});
    expect(find).toHaveBeenCalledWith(expect.objectContaining({ where: {} }));
  });
});
