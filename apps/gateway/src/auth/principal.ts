/**
 * Who made an HTTP request, as the gateway's bearer-token guard proved it. Everything after the guard
 * (ownership rules, rate limiting, idempotency scopes, the principal header on Kafka messages) reads
 * this and nothing else about the caller.
 */
export type PrincipalKind = 'customer' | 'operator' | 'client';

export interface Principal {
  /** The token's `sub` (a user) or `client_id` (a machine client), with the issuer it is unique under. */
  subject: string;
  issuer: string;
  kind: PrincipalKind;
  /** A customer's own customer id, bound to the token's subject; absent for operators and clients. */
  customerId?: string;
  roles: readonly string[];
  scopes: readonly string[];
}

/** The request member the guard sets; absent on the open routes (health, API docs). */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/** How a principal is written where one line must name it (the Kafka header, the audit log, logs). */
export function principalLabel(principal: Principal): string {
  return `${principal.kind}:${principal.subject}`;
}
