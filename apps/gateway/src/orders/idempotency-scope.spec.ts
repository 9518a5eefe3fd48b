import { Principal } from '../auth/principal';
import { scopedIdempotencyKey } from './idempotency-scope';

const customer = (subject: string, issuer = 'https://issuer.example'): Principal => ({
  subject,
  issuer,
  kind: 'customer',
  customerId: subject,
  roles: [],
  scopes: [],
});

describe('scopedIdempotencyKey', () => {
  it('is the same for the same key from the same principal: a retry finds the first order', () => {
    expect(scopedIdempotencyKey('retry-1', customer('alice'))).toBe(scopedIdempotencyKey('retry-1', customer('alice')));
  });

  it('differs for the same key from two principals: two orders', () => {
    const alice = scopedIdempotencyKey('retry-1', customer('alice'));
    expect(alice).not.toBe(scopedIdempotencyKey('retry-1', customer('bob')));
    expect(alice).not.toBe(scopedIdempotencyKey('retry-1', { ...customer('alice'), kind: 'operator' }));
    expect(alice).not.toBe(scopedIdempotencyKey('retry-1', customer('alice', 'https://other-issuer.example')));
  });

  it('cannot be forged by a principal choosing a key that joins with its subject differently', () => {
    expect(scopedIdempotencyKey('b:c', customer('a'))).not.toBe(scopedIdempotencyKey('c', customer('a:b')));
  });

  it('stays within the length the orders contract accepts, and does not store the key as sent', () => {
    const scoped = scopedIdempotencyKey('k'.repeat(128), customer('alice'))!;
    expect(scoped.length).toBeLessThanOrEqual(128);
    expect(scoped).not.toContain('k'.repeat(8));
  });

  it('keeps the key of an anonymous caller, and no key stays no key', () => {
    expect(scopedIdempotencyKey('retry-1', undefined)).toBe('retry-1');
    expect(scopedIdempotencyKey(undefined, customer('alice'))).toBeUndefined();
  });
});
