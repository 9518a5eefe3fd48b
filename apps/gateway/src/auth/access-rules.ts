import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OPEN_ENDPOINT } from '@orderflow/observability';
import type { Principal } from './principal';
import type { Role, Scope } from './token-claims';

/**
 * Who may call a route. Users by role, machine clients by scope: a client needs every scope listed.
 * A route with neither `@Allow` nor `@Public` is refused to everyone (deny by default), and a unit
 * spec (access-rules.spec.ts) fails on it.
 */
export interface AccessRule {
  roles: readonly Role[];
  scopes: readonly Scope[];
}

export const ACCESS_RULE = 'orderflow:access-rule';

/**
 * `@Allow(['customer', 'operator'], ['orders:read'])`: those roles, and machine clients holding those
 * scopes (none listed: no machine client). On a controller or a handler; the handler's wins.
 */
export function Allow(roles: readonly Role[], scopes: readonly Scope[] = []): ClassDecorator & MethodDecorator {
  const rule: AccessRule = { roles, scopes };
  return applyDecorators(
    SetMetadata(ACCESS_RULE, rule),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid bearer token (see WWW-Authenticate)' }),
    ApiForbiddenResponse({ description: 'The token does not grant this (WWW-Authenticate: insufficient_scope)' }),
  );
}

/** Open to anyone, with or without a token: probes, API documents, the dashboard's page before sign-in. */
export function Public(): ClassDecorator & MethodDecorator {
  return SetMetadata(OPEN_ENDPOINT, true);
}

export function isAllowed(principal: Principal, rule: AccessRule): boolean {
  switch (principal.kind) {
    case 'customer':
    case 'operator':
      return rule.roles.includes(principal.kind);
    case 'client':
      return rule.scopes.length > 0 && rule.scopes.every((scope) => principal.scopes.includes(scope));
    default: {
      const _exhaustive: never = principal.kind;
      return false;
    }
  }
}
