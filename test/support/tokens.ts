import { seedClientToken, seedUserToken } from '../../tools/identity/seed-tokens';
import { identityApp } from '../../tools/system/identity-app';

/** The development users of tools/identity/seed.json: two customers and an operator. */
export type SeedUser = 'alice' | 'bob' | 'olivia';
/** Its machine clients: a shop backend, and back-office automation with every scope. */
export type SeedClient = 'storefront' | 'back-office';

// Tokens live 15 minutes at the local provider; one is used for 10 at most.
const REUSE_FOR_MS = 10 * 60_000;

/**
 * Real access tokens from the running provider, obtained through its own endpoints (its sign-in page
 * with PKCE for users, client credentials for clients) and reused while fresh.
 */
export class Tokens {
  private readonly cache = new Map<string, { token: Promise<string>; until: number }>();

  constructor(
    private readonly issuer: string,
    private readonly audience: string = identityApp.audience,
  ) {}

  user(username: SeedUser): Promise<string> {
    return this.cached(`user:${username}`, () => seedUserToken(this.issuer, this.audience, username));
  }

  client(clientId: SeedClient): Promise<string> {
    return this.cached(`client:${clientId}`, () => seedClientToken(this.issuer, this.audience, clientId));
  }

  private cached(key: string, obtain: () => Promise<string>): Promise<string> {
    const held = this.cache.get(key);
    if (held && held.until > Date.now()) return held.token;
    const token = obtain();
    this.cache.set(key, { token, until: Date.now() + REUSE_FOR_MS });
    token.catch(() => this.cache.delete(key));
    return token;
  }
}
