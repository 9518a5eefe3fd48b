import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrderSearchResult, SearchOrdersRequest } from '@orderflow/contracts';
import { Allow } from '../auth/access-rules';
import { ApiErrors } from '../http/api-docs';
import { HttpApi } from '../http/http-api.decorator';
import { RequestId } from '../http/request-id.decorator';
import { SearchService } from './search.service';

@ApiTags('search')
@Allow(['operator'], ['search:read'])
@HttpApi()
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('orders')
  @ApiOperation({
    summary: 'Search orders by words (product names, skus or parts of them, customer) and filters',
    description: '`statusCounts` counts the matches per status for every filter but `status`.',
  })
  @ApiOkResponse({ description: 'A page of orders, the number of matches and the counts per status' })
  @ApiErrors(400)
  searchOrders(@Query() query: SearchOrdersRequest, @RequestId() requestId: string): Promise<OrderSearchResult> {
    return this.search.searchOrders(query, requestId);
  }
}
