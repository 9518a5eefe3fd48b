import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal';

/**
 * The Idempotency-Key as the orders service stores it: scoped to the principal that sent it, so that
 * the same key from two principals places two orders, and no one can learn of another's order by
 * guessing its key. A digest (the stored key stays short, the caller's key is not stored as sent),
 * with the issuer, as subjects are unique per issuer only. An anonymous caller's key is kept as sent.
 */
export function scopedIdempotencyKey(key: string | undefined, principal: Principal | undefined): string | undefined {
  if (key === undefined || !principal) return key;
  const scope = JSON.stringify([principal.issuer, principal.kind, principal.subject, key]);
  return createHash('sha256').update(scope).digest('base64url');
}
