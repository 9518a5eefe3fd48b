import type { Principal, PrincipalKind } from './principal';

/** Signature algorithms with a public verification key; HMAC (a shared secret) and `none` are never accepted. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** The roles a user may hold; a machine client holds none and gets scopes instead. */
export type Role = Extract<PrincipalKind, 'customer' | 'operator'>;

/** The scopes a machine client can be given, one per kind of access. */
export const API_SCOPES = [
  'products:read',
  'products:write',
  'customers:read',
  'customers:write',
  'orders:read',
  'orders:write',
  'audit:read',
  'search:read',
  'analytics:read',
] as const;
export type Scope = (typeof API_SCOPES)[number];

/** Where an issuer keeps what Orderflow needs to know about a caller (OIDC_*_CLAIM). */
export interface ClaimNames {
  roles: string;
  customerId: string;
}

/** A verified token's payload: jose checked its signature, issuer, audience and times. */
export type VerifiedClaims = Record<string, unknown> & { iss?: string; sub?: string };

/**
 * The one place that reads identity out of a token:
 * - an `operator` role makes an operator;
 * - a customer id claim makes a customer, bound to that id (the token's subject owns it);
 * - anything else is a machine client, with the token's scopes (`scope`, or Entra ID's `scp`) and no roles.
 * Unknown roles are kept (so logs show them) but grant nothing.
 */
export function principalFromClaims(claims: VerifiedClaims, names: ClaimNames): Principal {
  const roles = stringList(claimAt(claims, names.roles));
  const scopes = stringList(claims.scope ?? claims.scp);
  const customerId = claimAt(claims, names.customerId);
  const issuer = String(claims.iss);
  if (roles.includes('operator')) {
    return { subject: String(claims.sub), issuer, kind: 'operator', roles, scopes };
  }
  if (typeof customerId === 'string' && customerId.length > 0) {
    return { subject: String(claims.sub), issuer, kind: 'customer', customerId, roles, scopes };
  }
  const clientId = claims.client_id ?? claims.azp ?? claims.sub;
  return { subject: String(clientId), issuer, kind: 'client', roles: [], scopes };
}

/** A claim by name, or by a dotted path into nested objects (Keycloak's `realm_access.roles`). */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  return path.split('.').reduce<unknown>((value, key) => {
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }, claims);
}

/** A list claim: a JSON array, or a space-separated string as OAuth writes `scope`. */
function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return [];
}
