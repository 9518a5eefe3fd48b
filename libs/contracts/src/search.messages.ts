import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { ID_PATTERN, Page, PageRequest } from './common';
import { CancelReason, OrderStatus, OrderStatuses } from './orders.messages';

export const OrderSearchSorts = ['newest', 'oldest', 'total-desc', 'total-asc'] as const;
export type OrderSearchSort = (typeof OrderSearchSorts)[number];

/** `GET /search/orders`: every filter optional and combined with AND. */
export class SearchOrdersRequest extends PageRequest {
  /** Words of product names, skus (or parts of them), customer ids or order ids. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @IsOptional()
  @IsIn(OrderStatuses)
  status?: OrderStatus;

  @IsOptional()
  @Matches(ID_PATTERN, { message: 'customerId must be 1-64 letters, digits, dashes or underscores' })
  customerId?: string;

  /** Inclusive, in cents. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minTotal?: number;

  /** Inclusive, in cents. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  maxTotal?: number;

  /** Inclusive lower bound on the order's creation time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Exclusive upper bound on the order's creation time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @IsOptional()
  @IsIn(OrderSearchSorts)
  sort?: OrderSearchSort;
}

export interface OrderSearchLine {
  sku: string;
  /** From the product's `product.registered` event; null until it has been seen. */
  name: string | null;
  quantity: number;
  unitPriceCents: number | null;
}

export interface OrderSearchHit {
  orderId: string;
  customerId: string | null;
  status: OrderStatus;
  cancelReason: CancelReason | null;
  totalCents: number | null;
  lines: OrderSearchLine[];
  createdAt: string | null;
  updatedAt: string;
}

export interface OrderSearchResult extends Page<OrderSearchHit> {
  /** How many orders match every filter. */
  total: number;
  /** How many orders match every filter but `status`, per status (facets). */
  statusCounts: Record<OrderStatus, number>;
}
