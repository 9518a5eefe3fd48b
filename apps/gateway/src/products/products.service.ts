import { Injectable } from '@nestjs/common';
import {
  CreateProductRequest,
  ListProductsRequest,
  Page,
  ProductView,
  RestockProductRequest,
  Topics,
} from '@orderflow/contracts';
import { RequestClient } from '@orderflow/messaging';

/** The products API of the gateway: each use case is one request to the inventory service, keyed by sku. */
@Injectable()
export class ProductsService {
  constructor(private readonly requests: RequestClient) {}

  create(request: CreateProductRequest, correlationId: string): Promise<ProductView> {
    return this.requests.request<ProductView>(Topics.ProductsCreate, request, { correlationId, key: request.sku });
  }

  get(sku: string, correlationId: string): Promise<ProductView> {
    return this.requests.request<ProductView>(Topics.ProductsGet, { sku }, { correlationId, key: sku });
  }

  list(request: ListProductsRequest, correlationId: string): Promise<Page<ProductView>> {
    return this.requests.request<Page<ProductView>>(Topics.ProductsList, request, { correlationId });
  }

  restock(request: RestockProductRequest, correlationId: string): Promise<ProductView> {
    return this.requests.request<ProductView>(Topics.ProductsRestock, request, { correlationId, key: request.sku });
  }
}
