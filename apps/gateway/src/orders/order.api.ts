import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CancelReason,
  CancelReasons,
  CreateOrderRequest,
  ID_PATTERN,
  OrderAccepted,
  OrderItem,
  OrderLineView,
  OrderStatus,
  OrderStatusChangeView,
  OrderStatuses,
  OrderView,
  Page,
} from '@orderflow/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

// Request bodies are the contract classes (their validation is inherited); these subclasses only add
// the OpenAPI description. Response classes implement the contract views, so the docs cannot drift.

export const MAX_WAIT_MS = 30_000;
export const DEFAULT_WAIT_MS = 5_000;

class OrderItemDoc extends OrderItem {
  @ApiProperty({ example: 'SKU-1', pattern: '^[A-Z0-9][A-Z0-9-]{0,39}$' })
  override sku: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: 1000 })
  override quantity: number;
}

export class CreateOrderBody extends CreateOrderRequest {
  @ApiProperty({ example: 'alice', pattern: ID_PATTERN.source })
  override customerId: string;

  @ApiProperty({ type: [OrderItemDoc], minItems: 1, maxItems: 50 })
  override items: OrderItem[];

  /** Sent as the `Idempotency-Key` header, which wins over a value in the body. */
  @ApiHideProperty()
  override idempotencyKey?: string;
}

export class WaitForStatusQuery {
  @ApiPropertyOptional({
    description: 'Comma-separated statuses: answer once the order is in one of them (or when time is up).',
    example: 'CONFIRMED,CANCELLED',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((status) => status.trim()) : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(OrderStatuses, { each: true })
  waitFor?: OrderStatus[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_WAIT_MS, default: DEFAULT_WAIT_MS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_WAIT_MS)
  timeoutMs?: number;
}

export class OrderAcceptedDoc implements OrderAccepted {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: [...OrderStatuses] })
  status: OrderStatus;
}

class OrderLineDoc implements OrderLineView {
  @ApiProperty()
  sku: string;

  @ApiProperty()
  quantity: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Set once stock is reserved (cents)' })
  unitPriceCents: number | null;
}

class OrderStatusChangeDoc implements OrderStatusChangeView {
  @ApiProperty({ enum: [...OrderStatuses] })
  status: OrderStatus;

  @ApiProperty({ enum: [...CancelReasons], nullable: true })
  reason: CancelReason | null;

  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class OrderViewDoc implements OrderView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  customerId: string;

  @ApiProperty({ enum: [...OrderStatuses] })
  status: OrderStatus;

  @ApiProperty({ enum: [...CancelReasons], nullable: true })
  cancelReason: CancelReason | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Cents; set once stock is reserved' })
  totalCents: number | null;

  @ApiProperty({ type: [OrderLineDoc] })
  lines: OrderLineView[];

  @ApiProperty({ type: [OrderStatusChangeDoc] })
  history: OrderStatusChangeView[];

  @ApiProperty()
  correlationId: string;

  @ApiProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class OrderPageDoc implements Page<OrderView> {
  @ApiProperty({ type: [OrderViewDoc] })
  items: OrderView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}
