import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsIn,
  IsISO8601,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN, SKU_PATTERN } from './common';
import { CancelReason, CancelReasons } from './orders.messages';

/**
 * Result topics of the Kafka Streams processor (streams/order-analytics). Plain JSON keyed records,
 * not envelopes: they are created by the processor and the analytics app (compacted), and kept out
 * of the envelope topics the TopicProvisioner manages.
 */
export const AnalyticsResultTopics = {
  SkuSales: 'analytics.sku-sales',
  TopSkus: 'analytics.top-skus',
  CustomerTotals: 'analytics.customer-totals',
  Cancellations: 'analytics.cancellations',
} as const;

export type AnalyticsResultTopic = (typeof AnalyticsResultTopics)[keyof typeof AnalyticsResultTopics];
export const analyticsResultTopics: readonly AnalyticsResultTopic[] = Object.values(AnalyticsResultTopics);

const MINUTE_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:00(\.000)?)?Z$/;

/** A result of one closed window: its bounds, as the stream processor writes them. */
export abstract class ClosedWindow {
  @IsISO8601({ strict: true })
  windowStart: string;

  @IsISO8601({ strict: true })
  windowEnd: string;
}

/** analytics.sku-sales: one SKU in one closed 1-minute window (final). */
export class SkuWindowSales extends ClosedWindow {
  @Matches(SKU_PATTERN)
  sku: string;

  @IsInt()
  @Min(0)
  orders: number;

  @IsInt()
  @Min(0)
  units: number;

  @IsInt()
  @Min(0)
  revenueCents: number;
}

export class SkuUnits {
  @Matches(SKU_PATTERN)
  sku: string;

  @IsInt()
  @Min(0)
  units: number;
}

/** analytics.top-skus: the top five SKUs by units of one closed 5-minute window (advancing by 1 minute). */
export class TopSkus extends ClosedWindow {
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => SkuUnits)
  skus: SkuUnits[];
}

/** analytics.customer-totals: a customer's running totals (compacted: the latest per customer). */
export class CustomerTotals {
  @Matches(ID_PATTERN)
  customerId: string;

  /** Confirmed orders. */
  @IsInt()
  @Min(0)
  orders: number;

  @IsInt()
  @Min(0)
  spentCents: number;

  @IsInt()
  @Min(0)
  cancellations: number;

  @IsInt()
  @Min(0)
  refundedCents: number;
}

/** analytics.cancellations: cancellations for one reason in one closed 1-minute window. */
export class CancellationCount extends ClosedWindow {
  @Matches(new RegExp(`^(${CancelReasons.join('|')})$`))
  reason: string;

  @IsInt()
  @Min(0)
  count: number;
}

// Requests answered by the analytics service.

/** Closed 1-minute windows, newest first: one window, or every window since a time. */
export class MinuteWindowsRequest {
  /** The start of one 1-minute window, e.g. 2026-01-15T10:00:00Z. */
  @IsOptional()
  @Matches(MINUTE_START, { message: 'window must be the start of a minute, e.g. 2026-01-15T10:00:00Z' })
  window?: string;

  /** Every window starting at or after this time (ignored with `window`). */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

export class SkuSalesRequest extends MinuteWindowsRequest {
  @IsOptional()
  @Matches(SKU_PATTERN)
  sku?: string;
}

export class CancellationsRequest extends MinuteWindowsRequest {
  @IsOptional()
  @IsIn(CancelReasons, { message: `reason must be one of ${CancelReasons.join(', ')}` })
  reason?: CancelReason;
}

export class TopSkusRequest {
  /** The start of one 5-minute window; the latest closed window when absent. */
  @IsOptional()
  @Matches(MINUTE_START, { message: 'window must be the start of a minute, e.g. 2026-01-15T10:00:00Z' })
  window?: string;
}

export class CustomerTotalsRequest {
  @Matches(ID_PATTERN, { message: 'customerId must be 1-64 letters, digits, dashes or underscores' })
  customerId: string;
}

export interface SkuSalesView {
  items: SkuWindowSales[];
}

export interface CancellationsView {
  items: CancellationCount[];
}

export type TopSkusView = TopSkus;
export type CustomerTotalsView = CustomerTotals;
