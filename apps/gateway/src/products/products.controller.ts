import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListProductsRequest, Page, ProductSkuRequest, ProductView } from '@orderflow/contracts';
import { Allow } from '../auth/access-rules';
import { ApiErrors } from '../http/api-docs';
import { HttpApi } from '../http/http-api.decorator';
import { RequestId } from '../http/request-id.decorator';
import { CreateProductBody, ProductPageDoc, ProductViewDoc, RestockBody } from './product.api';
import { ProductsService } from './products.service';

@ApiTags('products')
@HttpApi()
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Allow(['customer', 'operator'], ['products:read'])
  @ApiOperation({ summary: 'List products' })
  @ApiOkResponse({ type: ProductPageDoc })
  @ApiErrors(400)
  list(@Query() query: ListProductsRequest, @RequestId() requestId: string): Promise<Page<ProductView>> {
    return this.products.list(query, requestId);
  }

  @Get(':sku')
  @Allow(['customer', 'operator'], ['products:read'])
  @ApiOperation({ summary: 'One product' })
  @ApiOkResponse({ type: ProductViewDoc })
  @ApiErrors(400, 404)
  get(@Param() params: ProductSkuRequest, @RequestId() requestId: string): Promise<ProductView> {
    return this.products.get(params.sku, requestId);
  }

  @Post()
  @Allow(['operator'], ['products:write'])
  @ApiOperation({ summary: 'Add a product' })
  @ApiCreatedResponse({ type: ProductViewDoc })
  @ApiErrors(400, 409)
  create(@Body() body: CreateProductBody, @RequestId() requestId: string): Promise<ProductView> {
    return this.products.create(body, requestId);
  }

  @Post(':sku/restock')
  @Allow(['operator'], ['products:write'])
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Add stock to a product' })
  @ApiOkResponse({ type: ProductViewDoc })
  @ApiErrors(400, 404)
  restock(
    @Param() params: ProductSkuRequest,
    @Body() body: RestockBody,
    @RequestId() requestId: string,
  ): Promise<ProductView> {
    return this.products.restock({ sku: params.sku, quantity: body.quantity }, requestId);
  }
}
