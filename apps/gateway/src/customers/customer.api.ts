import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CreateCustomerRequest,
  CustomerView,
  ID_PATTERN,
  NotificationKind,
  NotificationView,
  Page,
  WebhookDelivery,
} from '@orderflow/contracts';

export class CreateCustomerBody extends CreateCustomerRequest {
  @ApiPropertyOptional({ example: 'alice', pattern: ID_PATTERN.source, description: 'Generated when absent' })
  override id?: string;

  @ApiProperty({ example: 'Alice', minLength: 1, maxLength: 200 })
  override name: string;

  @ApiProperty({ example: 10_000, minimum: 0, maximum: 100_000_000_000, description: 'Cents' })
  override openingBalanceCents: number;
}

export class CustomerViewDoc implements CustomerView {
  @ApiProperty({ example: 'alice' })
  id: string;

  @ApiProperty({ example: 'Alice' })
  name: string;

  @ApiProperty({ example: 10_000, description: 'Cents' })
  balanceCents: number;
}

class NotificationViewDoc implements NotificationView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  customerId: string;

  @ApiProperty({ format: 'uuid' })
  orderId: string;

  @ApiProperty({ enum: ['ORDER_CONFIRMED', 'ORDER_CANCELLED'] satisfies NotificationKind[] })
  kind: NotificationKind;

  @ApiProperty()
  message: string;

  @ApiProperty({ enum: ['NOT_CONFIGURED', 'PENDING', 'DELIVERED', 'FAILED'] satisfies WebhookDelivery[] })
  webhook: WebhookDelivery;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class NotificationPageDoc implements Page<NotificationView> {
  @ApiProperty({ type: [NotificationViewDoc] })
  items: NotificationView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}
