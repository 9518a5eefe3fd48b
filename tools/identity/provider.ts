import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider, { ClientMetadata, Configuration, errors } from 'oidc-provider';
import { apiScopes, IdentitySeed } from './seed';

export interface ProviderSettings {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  seed: IdentitySeed;
}

/**
 * oidc-provider (a certified OpenID Provider) configured for Orderflow's development users and
 * clients: JWT access tokens for one API (resource indicators), RS256 with a key made at start-up,
 * authorization code with PKCE for people and client credentials for machines.
 */
export function createProvider({ issuer, audience, accessTokenTtlSeconds, seed }: ProviderSettings): Provider {
  const users = new Map(seed.users.map((user) => [user.username, user]));
  const scopes = apiScopes(seed);
  const clients: ClientMetadata[] = seed.clients.map((client) =>
    client.kind === 'public'
      ? {
          client_id: client.clientId,
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: client.redirectUris,
        }
      : {
          client_id: client.clientId,
          client_secret: client.secret,
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          scope: client.scopes.join(' '),
        },
  );

  const configuration: Configuration = {
    clients,
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name'] },
    scopes: ['openid', 'profile', ...scopes],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (resourceIndicator !== audience) throw new errors.InvalidTarget();
          return {
            scope: scopes.join(' '),
            audience,
            accessTokenTTL: accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // The user's roles and customer id travel in the access token, where the gateway reads them.
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token && token.accountId ? users.get(token.accountId) : undefined;
      if (!user) return undefined;
      return { roles: user.roles, ...(user.customerId ? { customer_id: user.customerId } : {}) };
    },
    findAccount: (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: user.name }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // A page on a loopback redirect (the dashboard) calls the token endpoint from its own origin, on any port.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === 'none' && (client.redirectUris ?? []).some((uri) => sameLoopbackHost(uri, origin)),
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      ClientCredentials: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: accessTokenTtlSeconds,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  };
  return new Provider(issuer, configuration);
}

/** A fresh RSA key per start: tokens of an earlier run stop verifying, which suits a development issuer. */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/** Same scheme and loopback host, whatever the port: how RFC 8252 matches a native client's redirect. */
function sameLoopbackHost(redirectUri: string, origin: string): boolean {
  if (!URL.canParse(redirectUri) || !URL.canParse(origin)) return false;
  const [allowed, actual] = [new URL(redirectUri), new URL(origin)];
  const isLoopback = ['127.0.0.1', '[::1]'].includes(actual.hostname);
  return isLoopback && allowed.protocol === actual.protocol && allowed.hostname === actual.hostname;
}
