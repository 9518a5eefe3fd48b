import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN, OrderItem, PageRequest } from './common';

export const OrderStatuses = ['PENDING', 'STOCK_RESERVED', 'PAID', 'CONFIRMED', 'CANCELLING', 'CANCELLED'] as const;
export type OrderStatus = (typeof OrderStatuses)[number];

export const CancelReasons = ['OUT_OF_STOCK', 'PAYMENT_DECLINED', 'CUSTOMER_CANCELLED'] as const;
export type CancelReason = (typeof CancelReasons)[number];

export class CreateOrderRequest {
  @Matches(ID_PATTERN, { message: 'customerId must be 1-64 letters, digits, dashes or underscores' })
  customerId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderItem)
  items: OrderItem[];

  /** From the `Idempotency-Key` header: a retried POST returns the same order. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  idempotencyKey?: string;
}

export class OrderIdRequest {
  @IsUUID()
  orderId: string;
}

export class ListOrdersRequest extends PageRequest {
  @IsOptional()
  @Matches(ID_PATTERN)
  customerId?: string;

  @IsOptional()
  @IsIn(OrderStatuses)
  status?: OrderStatus;
}

export interface OrderLineView {
  sku: string;
  quantity: number;
  unitPriceCents: number | null;
}

export interface OrderStatusChangeView {
  status: OrderStatus;
  reason: CancelReason | null;
  at: string;
}

export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  cancelReason: CancelReason | null;
  totalCents: number | null;
  lines: OrderLineView[];
  history: OrderStatusChangeView[];
  correlationId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrderAccepted {
  id: string;
  status: OrderStatus;
}

// Events published by the orders service.

export class OrderCreated {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => OrderItem)
  items: OrderItem[];
}

export class OrderStatusChanged {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;

  @IsIn(OrderStatuses)
  status: OrderStatus;

  @IsIn(OrderStatuses)
  previousStatus: OrderStatus;

  @IsOptional()
  @IsIn(CancelReasons)
  reason?: CancelReason;
}

export class OrderConfirmed {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;

  @IsInt()
  @Min(0)
  totalCents: number;
}

export class OrderCancelled {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;

  @IsIn(CancelReasons)
  reason: CancelReason;

  @IsInt()
  @Min(0)
  refundedCents: number;
}
