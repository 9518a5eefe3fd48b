import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CreateProductRequest,
  ListProductsRequest,
  Page,
  ProductSkuRequest,
  ProductView,
  RestockProductRequest,
  Topics,
} from '@orderflow/contracts';
import { CorrelationId, ValidPayload } from '@orderflow/messaging';
import { ProductsService } from './products.service';

@Controller()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @MessagePattern(Topics.ProductsCreate)
  create(@ValidPayload() request: CreateProductRequest, @CorrelationId() correlationId: string): Promise<ProductView> {
    return this.products.create(request, correlationId);
  }

  @MessagePattern(Topics.ProductsGet)
  get(@ValidPayload() request: ProductSkuRequest): Promise<ProductView> {
    return this.products.get(request.sku);
  }

  @MessagePattern(Topics.ProductsList)
  list(@ValidPayload() request: ListProductsRequest): Promise<Page<ProductView>> {
    return this.products.list(request);
  }

  @MessagePattern(Topics.ProductsRestock)
  restock(@ValidPayload() request: RestockProductRequest): Promise<ProductView> {
    return this.products.restock(request.sku, request.quantity);
  }
}
