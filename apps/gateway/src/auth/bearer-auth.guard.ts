import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { OPEN_ENDPOINT } from '@orderflow/observability';
import type { HttpRequest } from '../http/express-types';
import { ACCESS_RULE, AccessRule, isAllowed } from './access-rules';
import { BearerChallengeError } from './bearer-challenge';
import { BearerTokenVerifier } from './bearer-token.verifier';
import type { AuthenticatedRequest } from './principal';

/** RFC 6750 section 2.1: the scheme is case-insensitive, the token one b64token. */
const BEARER_SCHEME = /^Bearer(?: +|$)/i;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Every HTTP route of the gateway (an APP_GUARD): open routes pass; any other needs a verified bearer
 * token, which sets `request.principal`, and its access rule must grant it. A route without a rule is
 * refused to everyone. Kafka handlers are not HTTP and are left alone.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: BearerTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(OPEN_ENDPOINT, targets)) return true;

    const request = context.switchToHttp().getRequest<HttpRequest & AuthenticatedRequest>();
    const principal = await this.verifier.verify(bearerTokenOf(request));
    request.principal = principal;

    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets);
    if (!rule) throw BearerChallengeError.insufficientScope('this route grants access to no one');
    if (!isAllowed(principal, rule)) {
      throw BearerChallengeError.insufficientScope(
        `a ${principal.kind} may not do this`,
        principal.kind === 'client' ? rule.scopes : undefined,
      );
    }
    return true;
  }
}

/** Another scheme (Basic) counts as no bearer token: the challenge then names the one to use. */
function bearerTokenOf(request: HttpRequest): string {
  const header = request.header('authorization')?.trim() ?? '';
  if (!BEARER_SCHEME.test(header)) throw BearerChallengeError.missing();
  const token = header.replace(BEARER_SCHEME, '');
  if (!B64TOKEN.test(token)) throw BearerChallengeError.invalidToken('the token is malformed');
  return token;
}
