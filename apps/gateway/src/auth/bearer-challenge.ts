/** The realm named in every challenge. */
export const BEARER_REALM = 'orderflow';

export type BearerErrorCode = 'invalid_token' | 'insufficient_scope';

/**
 * An RFC 6750 refusal: 401 when the request carries no valid token (no `error` attribute when it
 * carries none at all, section 3.1), 403 `insufficient_scope` when the token is valid but does not
 * grant the route. The HTTP error filter writes it as the house's error body plus `WWW-Authenticate`.
 */
export class BearerChallengeError extends Error {
  private constructor(
    readonly status: 401 | 403,
    readonly code: BearerErrorCode | undefined,
    message: string,
    readonly scope?: readonly string[],
  ) {
    super(message);
    this.name = 'BearerChallengeError';
  }

  static missing(): BearerChallengeError {
    return new BearerChallengeError(401, undefined, 'a bearer token is required');
  }

  static invalidToken(description: string): BearerChallengeError {
    return new BearerChallengeError(401, 'invalid_token', description);
  }

  static insufficientScope(description: string, scope?: readonly string[]): BearerChallengeError {
    return new BearerChallengeError(403, 'insufficient_scope', description, scope);
  }

  /** `Bearer realm="orderflow", error="invalid_token", error_description="the token has expired"`. */
  get challenge(): string {
    const attributes: [string, string][] = [['realm', BEARER_REALM]];
    if (this.code) attributes.push(['error', this.code], ['error_description', this.message]);
    if (this.scope?.length) attributes.push(['scope', this.scope.join(' ')]);
    // RFC 6750 limits attribute values to printable ASCII without `"` and `\`; ours are fixed strings.
    return `Bearer ${attributes.map(([name, value]) => `${name}="${value.replace(/["\\]/g, "'")}"`).join(', ')}`;
  }
}

/** The issuer or its keys cannot be reached: not the caller's fault, answered 503. */
export class IdentityProviderUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the identity provider is unreachable; retry later', { cause });
    this.name = 'IdentityProviderUnavailableError';
  }
}
