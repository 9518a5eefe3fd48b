import { ApiProperty, PickType } from '@nestjs/swagger';
import { CreateProductRequest, Page, ProductView, RestockProductRequest } from '@orderflow/contracts';

export class CreateProductBody extends CreateProductRequest {
  @ApiProperty({ example: 'SKU-1', pattern: '^[A-Z0-9][A-Z0-9-]{0,39}$' })
  override sku: string;

  @ApiProperty({ example: 'Blue mug', minLength: 1, maxLength: 200 })
  override name: string;

  @ApiProperty({ example: 1250, minimum: 0, maximum: 100_000_000, description: 'Cents' })
  override priceCents: number;

  @ApiProperty({ example: 100, minimum: 0, maximum: 1_000_000_000 })
  override stock: number;
}

/** The sku comes from the path; PickType keeps the contract's validation of `quantity`. */
export class RestockBody extends PickType(RestockProductRequest, ['quantity'] as const) {
  @ApiProperty({ example: 10, minimum: 1, maximum: 1_000_000_000 })
  override quantity: number;
}

export class ProductViewDoc implements ProductView {
  @ApiProperty({ example: 'SKU-1' })
  sku: string;

  @ApiProperty({ example: 'Blue mug' })
  name: string;

  @ApiProperty({ example: 1250, description: 'Cents' })
  priceCents: number;

  @ApiProperty({ example: 100 })
  stock: number;
}

export class ProductPageDoc implements Page<ProductView> {
  @ApiProperty({ type: [ProductViewDoc] })
  items: ProductView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}
