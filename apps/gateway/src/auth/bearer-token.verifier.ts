import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createRemoteJWKSet, errors, JWTVerifyGetKey, jwtVerify } from 'jose';
import type { GatewayEnv } from '../gateway.env';
import { BearerChallengeError, IdentityProviderUnavailableError } from './bearer-challenge';
import type { Principal } from './principal';
import { ClaimNames, principalFromClaims } from './token-claims';
import { VerifiedTokens } from './verified-tokens';

const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;
const VERIFIED_TOKENS_KEPT = 1_000;

interface IssuerKeys {
  issuer: string;
  keys: JWTVerifyGetKey;
}

/**
 * Verifies bearer tokens against the issuer's published keys. Discovery runs once (and again only
 * after it failed); jose's remote key set caches the keys and fetches them again when a token names a
 * key it does not hold (a rotation), at most every 30 s, so verification costs no request per call.
 * A token verified in the last minute is not checked again until it expires (VerifiedTokens).
 */
@Injectable()
export class BearerTokenVerifier implements OnModuleInit {
  private readonly logger = new Logger(BearerTokenVerifier.name);
  private readonly issuerUrl: string;
  private readonly audience: string;
  private readonly algorithms: string[];
  private readonly claimNames: ClaimNames;
  private issuerKeys?: Promise<IssuerKeys>;
  private readonly verifiedTokens = new VerifiedTokens(VERIFIED_TOKEN_MAX_AGE_MS, VERIFIED_TOKENS_KEPT);

  constructor(config: ConfigService<GatewayEnv, true>) {
    this.issuerUrl = config.get('OIDC_ISSUER_URL', { infer: true });
    this.audience = config.get('OIDC_AUDIENCE', { infer: true });
    this.algorithms = config.get('OIDC_ALGORITHMS', { infer: true });
    this.claimNames = {
      roles: config.get('OIDC_ROLES_CLAIM', { infer: true }),
      customerId: config.get('OIDC_CUSTOMER_ID_CLAIM', { infer: true }),
    };
  }

  /** Discovers early, so that the first request does not wait for it; a failure is retried on use. */
  onModuleInit(): void {
    this.discovered().catch((error: unknown) =>
      this.logger.warn(`OpenID discovery at ${this.issuerUrl} failed, retried on the next request: ${String(error)}`),
    );
  }

  async verify(token: string): Promise<Principal> {
    const verified = this.verifiedTokens.principalOf(token);
    if (verified) return verified;
    const { issuer, keys } = await this.discovered();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: this.audience,
        algorithms: this.algorithms,
        requiredClaims: ['exp', 'sub'],
      });
      const principal = principalFromClaims(payload, this.claimNames);
      this.verifiedTokens.remember(token, principal, payload.exp!);
      return principal;
    } catch (error) {
      throw refusalOf(error);
    }
  }

  private discovered(): Promise<IssuerKeys> {
    this.issuerKeys ??= discover(this.issuerUrl).catch((error: unknown) => {
      this.issuerKeys = undefined;
      throw new IdentityProviderUnavailableError(error);
    });
    return this.issuerKeys;
  }
}

/** OpenID Connect Discovery 1.0: the issuer's metadata names its key set; its `issuer` must be the one configured. */
async function discover(issuerUrl: string): Promise<IssuerKeys> {
  const base = issuerUrl.endsWith('/') ? issuerUrl : `${issuerUrl}/`;
  const response = await fetch(new URL('.well-known/openid-configuration', base), {
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (metadata.issuer !== issuerUrl.replace(/\/$/, '') && metadata.issuer !== issuerUrl) {
    throw new Error(`discovery names issuer ${String(metadata.issuer)}, not ${issuerUrl}`);
  }
  if (typeof metadata.jwks_uri !== 'string') throw new Error('discovery names no jwks_uri');
  return {
    issuer: metadata.issuer,
    keys: createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }),
  };
}

/** What jose found wrong, as the `error_description` a client sees; an unreachable key set is a 503. */
function refusalOf(error: unknown): Error {
  if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && error.message === 'fetch failed')) {
    return new IdentityProviderUnavailableError(error);
  }
  if (error instanceof errors.JWTExpired) return BearerChallengeError.invalidToken('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return BearerChallengeError.invalidToken('the token is not valid yet');
      case 'iss':
        return BearerChallengeError.invalidToken('the token is from another issuer');
      case 'aud':
        return BearerChallengeError.invalidToken('the token is for another audience');
      default:
        return BearerChallengeError.invalidToken(`the token's ${error.claim} claim is missing or invalid`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return BearerChallengeError.invalidToken('the token is signed with an algorithm that is not accepted');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return BearerChallengeError.invalidToken("the token's signature does not verify with the issuer's keys");
  }
  return BearerChallengeError.invalidToken('the token is malformed');
}
