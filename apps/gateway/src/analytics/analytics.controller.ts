import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CancellationsRequest,
  CancellationsView,
  CustomerTotalsRequest,
  CustomerTotalsView,
  SkuSalesRequest,
  SkuSalesView,
  TopSkusRequest,
  TopSkusView,
} from '@orderflow/contracts';
import { Allow } from '../auth/access-rules';
import { ApiErrors } from '../http/api-docs';
import { HttpApi } from '../http/http-api.decorator';
import { RequestId } from '../http/request-id.decorator';
import { AnalyticsService } from './analytics.service';

/** Windowed results are final: a window shows up once it has closed (its end plus the grace period). */
@ApiTags('analytics')
@Allow(['operator'], ['analytics:read'])
@HttpApi()
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('skus')
  @ApiOperation({ summary: 'Orders, units and revenue per SKU per closed 1-minute window, newest first' })
  @ApiOkResponse({ description: '{ items: [{ sku, windowStart, windowEnd, orders, units, revenueCents }] }' })
  @ApiErrors(400)
  skuSales(@Query() query: SkuSalesRequest, @RequestId() requestId: string): Promise<SkuSalesView> {
    return this.analytics.skuSales(query, requestId);
  }

  @Get('top-skus')
  @ApiOperation({ summary: 'The 5 SKUs with most units of a closed 5-minute window (the latest by default)' })
  @ApiOkResponse({ description: '{ windowStart, windowEnd, skus: [{ sku, units }] }' })
  @ApiErrors(400, 404)
  topSkus(@Query() query: TopSkusRequest, @RequestId() requestId: string): Promise<TopSkusView> {
    return this.analytics.topSkus(query, requestId);
  }

  @Get('cancellations')
  @ApiOperation({
    summary: 'Cancelled orders per reason per closed 1-minute window, newest first (optionally of one reason)',
  })
  @ApiOkResponse({ description: '{ items: [{ reason, windowStart, windowEnd, count }] }' })
  @ApiErrors(400)
  cancellations(@Query() query: CancellationsRequest, @RequestId() requestId: string): Promise<CancellationsView> {
    return this.analytics.cancellations(query, requestId);
  }

  @Get('customers/:customerId')
  @ApiOperation({ summary: "A customer's running totals: confirmed orders, spent, cancellations, refunded" })
  @ApiOkResponse({ description: '{ customerId, orders, spentCents, cancellations, refundedCents }' })
  @ApiErrors(400, 404)
  customerTotals(@Param() params: CustomerTotalsRequest, @RequestId() requestId: string): Promise<CustomerTotalsView> {
    return this.analytics.customerTotals(params.customerId, requestId);
  }
}
