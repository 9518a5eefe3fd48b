import { Injectable } from '@nestjs/common';
import {
  CancellationCount,
  CancellationsRequest,
  CancellationsView,
  CustomerTotals,
  CustomerTotalsView,
  SkuSalesRequest,
  SkuSalesView,
  SkuWindowSales,
  TopSkus,
  TopSkusView,
} from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { AnalyticsRepository } from './analytics.repository';

@Injectable()
export class AnalyticsService {
  constructor(private readonly analytics: AnalyticsRepository) {}

  recordSkuSales(result: SkuWindowSales): Promise<void> {
    return this.analytics.saveSkuSales(result);
  }

  recordTopSkus(result: TopSkus): Promise<void> {
    return this.analytics.saveTopSkus(result);
  }

  recordCustomerTotals(result: CustomerTotals): Promise<void> {
    return this.analytics.saveCustomerTotals(result);
  }

  recordCancellations(result: CancellationCount): Promise<void> {
    return this.analytics.saveCancellations(result);
  }

  async skuSales(request: SkuSalesRequest): Promise<SkuSalesView> {
    const rows = await this.analytics.findSkuSales(request);
    return { items: rows.map((row) => ({ ...row, ...windowOf(row) })) };
  }

  async cancellations(request: CancellationsRequest): Promise<CancellationsView> {
    const rows = await this.analytics.findCancellations(request);
    return { items: rows.map((row) => ({ ...row, ...windowOf(row) })) };
  }

  async topSkus(window?: string): Promise<TopSkusView> {
    const found = await this.analytics.findTopSkus(window);
    if (!found)
      throw new RequestRejectedError(
        'NOT_FOUND',
        window ? `no closed window starts at ${window}` : 'no closed window yet',
      );
    return { ...windowOf(found), skus: found.skus };
  }

  async customerTotals(customerId: string): Promise<CustomerTotalsView> {
    const found = await this.analytics.findCustomer(customerId);
    if (!found) throw new RequestRejectedError('NOT_FOUND', `no orders of customer ${customerId} yet`);
    return { ...found };
  }
}

function windowOf(row: { windowStart: Date; windowEnd: Date }): { windowStart: string; windowEnd: string } {
  return { windowStart: row.windowStart.toISOString(), windowEnd: row.windowEnd.toISOString() };
}
