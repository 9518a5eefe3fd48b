import { Injectable } from '@nestjs/common';
import {
  CancellationsRequest,
  CancellationsView,
  CustomerTotalsView,
  SkuSalesRequest,
  SkuSalesView,
  Topics,
  TopSkusRequest,
  TopSkusView,
} from '@orderflow/contracts';
import { RequestClient } from '@orderflow/messaging';

/** The analytics API of the gateway: the results of the stream processor, as stored by the analytics service. */
@Injectable()
export class AnalyticsService {
  constructor(private readonly requests: RequestClient) {}

  skuSales(request: SkuSalesRequest, correlationId: string): Promise<SkuSalesView> {
    return this.requests.request<SkuSalesView>(Topics.AnalyticsSkuSales, request, { correlationId, key: request.sku });
  }

  topSkus(request: TopSkusRequest, correlationId: string): Promise<TopSkusView> {
    return this.requests.request<TopSkusView>(Topics.AnalyticsTopSkus, request, { correlationId });
  }

  cancellations(request: CancellationsRequest, correlationId: string): Promise<CancellationsView> {
    return this.requests.request<CancellationsView>(Topics.AnalyticsCancellations, request, {
      correlationId,
      key: request.reason,
    });
  }

  customerTotals(customerId: string, correlationId: string): Promise<CustomerTotalsView> {
    return this.requests.request<CustomerTotalsView>(
      Topics.AnalyticsCustomerTotals,
      { customerId },
      { correlationId, key: customerId },
    );
  }
}
