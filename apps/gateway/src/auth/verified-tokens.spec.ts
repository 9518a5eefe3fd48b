import type { Principal } from './principal';
import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const alice: Principal = {
    subject: 'alice',
    issuer: 'https://issuer.example',
    kind: 'customer',
    customerId: 'c-1',
    roles: ['customer'],
    scopes: ['orders:write'],
  };
  let clock: number;
  const tokens = (maxAgeMs = 60_000, capacity = 3) => new VerifiedTokens(maxAgeMs, capacity, () => clock);
  const expiresIn = (seconds: number) => Math.floor(clock / 1000) + seconds;

  beforeEach(() => (clock = 1_800_000_000_000));

  it('answers for a remembered token until the token expires', () => {
    const verified = tokens();
    verified.remember('token-a', alice, expiresIn(30));
    expect(verified.principalOf('token-a')).toBe(alice);
    clock += 29_999;
    expect(verified.principalOf('token-a')).toBe(alice);
    clock += 1;
    expect(verified.principalOf('token-a')).toBeUndefined();
  });

  it('answers no longer than its age limit, however late the token expires', () => {
    const verified = tokens(60_000);
    verified.remember('token-a', alice, expiresIn(3_600));
    clock += 60_000;
    expect(verified.principalOf('token-a')).toBeUndefined();
  });

  it('answers only for the exact text it was given', () => {
    const verified = tokens();
    verified.remember('token-a', alice, expiresIn(30));
    expect(verified.principalOf('token-a ')).toBeUndefined();
    expect(verified.principalOf('token-b')).toBeUndefined();
  });

  it('keeps nothing for a token that has already expired', () => {
    const verified = tokens();
    verified.remember('token-a', alice, expiresIn(0));
    expect(verified.principalOf('token-a')).toBeUndefined();
  });

  it('holds at most its capacity, dropping the oldest first', () => {
    const verified = tokens(60_000, 2);
    verified.remember('token-a', alice, expiresIn(30));
    verified.remember('token-b', alice, expiresIn(30));
    verified.remember('token-c', alice, expiresIn(30));
    expect(verified.principalOf('token-a')).toBeUndefined();
    expect(verified.principalOf('token-b')).toBe(alice);
    expect(verified.principalOf('token-c')).toBe(alice);
  });
});
