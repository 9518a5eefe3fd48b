import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
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

/** One line of an order that could not be reserved, and by how much it fell short. */
export class RejectedLine {
  @Matches(SKU_PATTERN)
  sku: string;

  /** Units the order asked for; absent only on a rejection upcast from version 1, which named the sku alone. */
  @IsOptional()
  @IsInt()
  @Min(1)
  requestedQuantity?: number;

  /** Units in stock when the order was rejected (OUT_OF_STOCK); absent for an unknown sku and on version 1. */
  @IsOptional()
  @IsInt()
  @Min(0)
  availableQuantity?: number;
}

/**
 * Version 2 (version 1 named the skus at fault, `skus: string[]`): each line says what was asked and
 * what was there, so that a consumer can tell the customer what to change (schema/upcasters.ts).
 */
export class StockRejected {
  @IsUUID()
  orderId: string;

  @IsIn(StockRejectionReasons)
  reason: StockRejectionReason;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RejectedLine)
  lines: RejectedLine[];
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
