import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from './common';

export class CreateCustomerRequest {
  /** Optional: a caller-chosen id; generated when absent. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'id must be 1-64 letters, digits, dashes or underscores' })
  id?: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsInt()
  @Min(0)
  @Max(1_000_000_000_00)
  openingBalanceCents: number;
}

export class CustomerIdRequest {
  @Matches(ID_PATTERN, { message: 'customerId must be 1-64 letters, digits, dashes or underscores' })
  customerId: string;
}

export interface CustomerView {
  id: string;
  name: string;
  balanceCents: number;
}

// Commands handled by the payments service.

export class ChargePayment {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;

  @IsInt()
  @Min(0)
  amountCents: number;
}

export class RefundPayment {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;
}

// Events published by the payments service.

export class PaymentCharged {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;

  @IsInt()
  @Min(0)
  amountCents: number;
}

export const PaymentDeclineReasons = ['INSUFFICIENT_FUNDS', 'UNKNOWN_CUSTOMER', 'ORDER_REFUNDED'] as const;
export type PaymentDeclineReason = (typeof PaymentDeclineReasons)[number];

export class PaymentDeclined {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;

  @IsIn(PaymentDeclineReasons)
  reason: PaymentDeclineReason;
}

export class PaymentRefunded {
  @IsUUID()
  orderId: string;

  @Matches(ID_PATTERN)
  customerId: string;

  /** Zero when nothing had been charged: the refund stands as a tombstone against a late charge. */
  @IsInt()
  @Min(0)
  amountCents: number;
}
