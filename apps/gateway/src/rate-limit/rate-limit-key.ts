import { normalizeIp } from '@nestjs/throttler';
import { AuthenticatedRequest, principalLabel } from '../auth/principal';

/** What a rate-limited request is counted against: its principal, or its client address when it has none. */
export function rateLimitKey(request: AuthenticatedRequest & { ip?: string }): string {
  if (request.principal) return `principal:${principalLabel(request.principal)}`;
  // An IPv6 client is counted by its /64, as it may use any address of it.
  return `ip:${normalizeIp(request.ip ?? 'unknown')}`;
}
