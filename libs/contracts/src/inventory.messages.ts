import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { OrderItem, PageRequest, SKU_PATTERN } from './common';

export class CreateProductRequest {
  @Matches(SKU_PATTERN, { message: 'sku must be 1-40 upper-case letters, digits or dashes' })
  sku: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents: number;

  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  stock: number;
}

export class ProductSkuRequest {
  @Matches(SKU_PATTERN, { message: 'sku must be 1-40 upper-case letters, digits or dashes' })
  sku: string;
}

export class RestockProductRequest extends ProductSkuRequest {
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  quantity: number;
}

export class ListProductsRequest extends PageRequest {}

export interface ProductView {
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
}

// Commands handled by the inventory service.

export class ReserveStock {
  @IsUUID()
  orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderItem)
  items: OrderItem[];
}

export class ReleaseStock {
  @IsUUID()
  orderId: string;
}

// Events published by the inventory service.

export class PricedOrderItem extends OrderItem {
  @IsInt()
  @Min(0)
  unitPriceCents: number;
}

export class StockReserved {
  @IsUUID()
  orderId: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PricedOrderItem)
  items: PricedOrderItem[];

  @IsInt()
  @Min(0)
  totalCents: number;
}

export const StockRejectionReasons = ['OUT_OF_STOCK', 'UNKNOWN_SKU', 'ORDER_RELEASED'] as const;
export type StockRejectionReason = (typeof StockRejectionReasons)[number];

export class StockRejected {
  @IsUUID()
  orderId: string;

  @IsIn(StockRejectionReasons)
  reason: StockRejectionReason;

  @IsArray()
  @Matches(SKU_PATTERN, { each: true })
  skus: string[];
}

export class StockReleased {
  @IsUUID()
  orderId: string;

  /** False when nothing was reserved: the release stands as a tombstone against a late reserve. */
  @IsBoolean()
  restocked: boolean;
}

/** A product joined the catalogue (published once, when it is created); keyed and versioned by sku. */
export class ProductRegistered {
  @Matches(SKU_PATTERN)
  sku: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsInt()
  @Min(0)
  priceCents: number;
}
