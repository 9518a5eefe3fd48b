import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import {
  AnalyticsResultTopics,
  CancellationCount,
  CancellationsRequest,
  CancellationsView,
  CustomerTotals,
  CustomerTotalsRequest,
  CustomerTotalsView,
  SkuSalesRequest,
  SkuSalesView,
  SkuWindowSales,
  Topics,
  TopSkus,
  TopSkusRequest,
  TopSkusView,
} from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { AnalyticsService } from './analytics.service';

@Controller()
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @EventPattern(AnalyticsResultTopics.SkuSales)
  onSkuSales(@ValidPayload() result: SkuWindowSales): Promise<void> {
    return this.analytics.recordSkuSales(result);
  }

  @EventPattern(AnalyticsResultTopics.TopSkus)
  onTopSkus(@ValidPayload() result: TopSkus): Promise<void> {
    return this.analytics.recordTopSkus(result);
  }

  @EventPattern(AnalyticsResultTopics.CustomerTotals)
  onCustomerTotals(@ValidPayload() result: CustomerTotals): Promise<void> {
    return this.analytics.recordCustomerTotals(result);
  }

  @EventPattern(AnalyticsResultTopics.Cancellations)
  onCancellations(@ValidPayload() result: CancellationCount): Promise<void> {
    return this.analytics.recordCancellations(result);
  }

  @MessagePattern(Topics.AnalyticsSkuSales)
  skuSales(@ValidPayload() request: SkuSalesRequest): Promise<SkuSalesView> {
    return this.analytics.skuSales(request);
  }

  @MessagePattern(Topics.AnalyticsTopSkus)
  topSkus(@ValidPayload() request: TopSkusRequest): Promise<TopSkusView> {
    return this.analytics.topSkus(request.window);
  }

  @MessagePattern(Topics.AnalyticsCancellations)
  cancellations(@ValidPayload() request: CancellationsRequest): Promise<CancellationsView> {
    return this.analytics.cancellations(request);
  }

  @MessagePattern(Topics.AnalyticsCustomerTotals)
  customerTotals(@ValidPayload() request: CustomerTotalsRequest): Promise<CustomerTotalsView> {
    return this.analytics.customerTotals(request.customerId);
  }
}
