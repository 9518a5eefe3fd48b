import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,39}$/;
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export class OrderItem {
  @Matches(SKU_PATTERN, { message: 'sku must be 1-40 upper-case letters, digits or dashes' })
  sku: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  quantity: number;
}

export class PageRequest {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** Opaque: the value of `nextCursor` from the previous page. */
  @IsOptional()
  @IsString()
  cursor?: string;
}

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** What a request-reply handler sends back instead of a result; the gateway maps `code` to HTTP. */
export const ReplyErrorCodes = ['INVALID', 'NOT_FOUND', 'CONFLICT'] as const;
export type ReplyErrorCode = (typeof ReplyErrorCodes)[number];

/**
 * Narrows a code for callers that know it, optional so that a caller that does not still reads the
 * code alone. `IDEMPOTENCY_KEY_REUSED` (with CONFLICT): the request's idempotency key came before with
 * another request; the gateway answers 422.
 */
export const ReplyErrorReasons = ['IDEMPOTENCY_KEY_REUSED'] as const;
export type ReplyErrorReason = (typeof ReplyErrorReasons)[number];

export interface ReplyError {
  code: ReplyErrorCode;
  message: string;
  details?: string[];
  reason?: ReplyErrorReason;
}

export function isReplyError(value: unknown): value is ReplyError {
  return (
    typeof value === 'object' &&
    value !== null &&
    ReplyErrorCodes.includes((value as ReplyError).code) &&
    typeof (value as ReplyError).message === 'string'
  );
}
