import type { Principal } from './principal';

interface Verified {
  principal: Principal;
  /** Epoch ms after which the entry no longer stands: the token's `exp`, or the entry's age limit if sooner. */
  until: number;
}

/**
 * Tokens this gateway verified lately, by their exact text: a client sends the same token with every
 * request until it expires, and checking its signature again each time was a visible share of the
 * gateway's CPU per request. An entry stands until the token expires, and never longer than `maxAgeMs`,
 * so a key withdrawn from the issuer's key set is honoured at most that much longer than without it.
 * Only verified tokens are kept, and at most `capacity` of them (the oldest go first).
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Verified>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {}

  principalOf(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() < entry.until) return entry.principal;
    this.entries.delete(token);
    return undefined;
  }

  /** `expiresAt`: the token's `exp` claim, in seconds since the epoch. */
  remember(token: string, principal: Principal, expiresAt: number): void {
    const until = Math.min(expiresAt * 1000, this.now() + this.maxAgeMs);
    if (until <= this.now()) return;
    this.entries.delete(token);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { principal, until });
  }
}
