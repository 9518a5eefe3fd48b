import { canonicalJson, CreateOrderRequest } from '@orderflow/contracts';
import { createHash } from 'node:crypto';

/**
 * What an Idempotency-Key promises is the same request again: SHA-256 of the validated request as
 * canonical JSON (keys sorted, so the order of fields as sent does not matter; the lines keep theirs),
 * the key itself left out.
 */
export function requestFingerprint(request: CreateOrderRequest): string {
  const { idempotencyKey: _key, ...body } = request;
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}
