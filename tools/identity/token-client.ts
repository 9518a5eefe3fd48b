import { createHash, randomBytes } from 'node:crypto';

/**
 * Gets real access tokens from an OpenID Connect provider through its standard endpoints, as a client
 * would: client credentials for a machine client, and for a person the authorization code flow with
 * PKCE, signing in on the provider's own page (tools/identity/login-page.ts) without a browser.
 * `npm run token`, the e2e suites and the benchmarks use it.
 */
export interface TokenRequest {
  issuer: string;
  audience: string;
}

export interface UserLogin extends TokenRequest {
  username: string;
  password: string;
  /** A public client with a loopback redirect (see tools/identity/seed.json). */
  clientId?: string;
  redirectUri?: string;
}

export interface ClientLogin extends TokenRequest {
  clientId: string;
  secret: string;
  scopes: readonly string[];
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const TIMEOUT_MS = 10_000;

export async function clientToken({ issuer, audience, clientId, secret, scopes }: ClientLogin): Promise<string> {
  const { token_endpoint } = await discover(issuer);
  // client_secret_basic (RFC 6749 section 2.3.1): id and secret form-encoded, then Basic.
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  return requestToken(
    token_endpoint,
    { grant_type: 'client_credentials', scope: scopes.join(' '), resource: audience },
    { authorization: `Basic ${basic}` },
  );
}

export async function userToken(login: UserLogin): Promise<string> {
  const { issuer, audience, username, password } = login;
  const clientId = login.clientId ?? 'orderflow-cli';
  const redirectUri = login.redirectUri ?? 'http://127.0.0.1/callback';
  const { authorization_endpoint, token_endpoint } = await discover(issuer);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    resource: audience,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const cookies = new Map<string, string>();
  const loginPage = refusedOrNot(await step(authorize, cookies), username);
  const signedIn = await step(new URL(`${loginPage.pathname}/login`, issuer), cookies, { username, password });
  // Past the sign-in the provider may pass through its consent step (granted without a question) first.
  let callback = refusedOrNot(await step(signedIn, cookies), username);
  for (let hop = 0; hop < 4 && callback.origin === new URL(issuer).origin; hop++) {
    callback = refusedOrNot(await step(callback, cookies), username);
  }
  if (callback.searchParams.get('state') !== state)
    throw new Error(`sign-in ended at ${callback.pathname}, not the callback`);
  return requestToken(token_endpoint, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') ?? '',
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
    resource: audience,
  });
}

/** An authorization error comes back on the redirect URI (RFC 6749 section 4.1.2.1). */
function refusedOrNot(location: URL, username: string): URL {
  const error = location.searchParams.get('error');
  if (error)
    throw new Error(`sign-in of ${username} refused: ${error} ${location.searchParams.get('error_description')}`);
  return location;
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(new URL('.well-known/openid-configuration', withSlash(issuer)), {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`OpenID discovery at ${issuer} answered ${response.status}`);
  return (await response.json()) as Discovery;
}

/** One redirecting request of the sign-in, with the provider's cookies; returns where it redirects to. */
async function step(url: URL, cookies: Map<string, string>, form?: Record<string, string>): Promise<URL> {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';');
    const separator = pair.indexOf('=');
    cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
  }
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`sign-in step ${url.pathname} answered ${response.status}, not a redirect`);
  }
  return new URL(location, url);
}

async function requestToken(
  endpoint: string,
  parameters: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(parameters).toString(),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(`token endpoint answered ${response.status}: ${body.error} ${body.error_description ?? ''}`);
  }
  return body.access_token;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
