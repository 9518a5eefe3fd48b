import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  CancellationCount,
  CancellationsRequest,
  CustomerTotals,
  MinuteWindowsRequest,
  SkuSalesRequest,
  SkuWindowSales,
  TopSkus,
} from '@orderflow/contracts';
import { FindOperator, MoreThanOrEqual, Repository } from 'typeorm';
import {
  CancellationCountEntity,
  CustomerTotalsEntity,
  SkuWindowSalesEntity,
  TopSkusEntity,
} from './analytics-entities';

const DEFAULT_LIMIT = 500;

/**
 * The result topics are keyed (SKU and window, window, customer) and each record is the latest
 * value of its key, so storing one is an upsert: a redelivered record writes the same row again.
 */
@Injectable()
export class AnalyticsRepository {
  constructor(
    @InjectRepository(SkuWindowSalesEntity) private readonly skuSales: Repository<SkuWindowSalesEntity>,
    @InjectRepository(TopSkusEntity) private readonly topSkus: Repository<TopSkusEntity>,
    @InjectRepository(CustomerTotalsEntity) private readonly customers: Repository<CustomerTotalsEntity>,
    @InjectRepository(CancellationCountEntity) private readonly cancellations: Repository<CancellationCountEntity>,
  ) {}

  async saveSkuSales(result: SkuWindowSales): Promise<void> {
    await this.skuSales.upsert(
      { ...result, windowStart: new Date(result.windowStart), windowEnd: new Date(result.windowEnd) },
      ['sku', 'windowStart'],
    );
  }

  async saveTopSkus(result: TopSkus): Promise<void> {
    await this.topSkus.upsert(
      {
        windowStart: new Date(result.windowStart),
        windowEnd: new Date(result.windowEnd),
        skus: result.skus.map(({ sku, units }) => ({ sku, units })),
      },
      ['windowStart'],
    );
  }

  async saveCustomerTotals(result: CustomerTotals): Promise<void> {
    await this.customers.upsert({ ...result }, ['customerId']);
  }

  async saveCancellations(result: CancellationCount): Promise<void> {
    await this.cancellations.upsert(
      { ...result, windowStart: new Date(result.windowStart), windowEnd: new Date(result.windowEnd) },
      ['reason', 'windowStart'],
    );
  }

  findSkuSales(request: SkuSalesRequest): Promise<SkuWindowSalesEntity[]> {
    return this.skuSales.find({
      where: { ...windowsOf(request), ...(request.sku ? { sku: request.sku } : {}) },
      order: { windowStart: 'DESC', revenueCents: 'DESC', sku: 'ASC' },
      take: request.limit ?? DEFAULT_LIMIT,
    });
  }

  findCancellations(request: CancellationsRequest): Promise<CancellationCountEntity[]> {
    return this.cancellations.find({
      where: { ...windowsOf(request), ...(request.reason ? { reason: request.reason } : {}) },
      order: { windowStart: 'DESC', count: 'DESC', reason: 'ASC' },
      take: request.limit ?? DEFAULT_LIMIT,
    });
  }

  findTopSkus(window?: string): Promise<TopSkusEntity | null> {
    if (window) return this.topSkus.findOneBy({ windowStart: new Date(window) });
    return this.topSkus.findOne({ where: {}, order: { windowStart: 'DESC' } });
  }

  findCustomer(customerId: string): Promise<CustomerTotalsEntity | null> {
    return this.customers.findOneBy({ customerId });
  }
}

/** One window, or every window since a time; all of them when neither is given. */
function windowsOf(request: MinuteWindowsRequest): { windowStart?: FindOperator<Date> | Date } {
  if (request.window) return { windowStart: new Date(request.window) };
  if (request.since) return { windowStart: MoreThanOrEqual(new Date(request.since)) };
  return {};
}
