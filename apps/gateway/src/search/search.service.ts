import { Injectable } from '@nestjs/common';
import { OrderSearchResult, SearchOrdersRequest, Topics } from '@orderflow/contracts';
import { RequestClient } from '@orderflow/messaging';

@Injectable()
export class SearchService {
  constructor(private readonly requests: RequestClient) {}

  searchOrders(request: SearchOrdersRequest, correlationId: string): Promise<OrderSearchResult> {
    return this.requests.request<OrderSearchResult>(Topics.SearchOrders, request, { correlationId });
  }
}
