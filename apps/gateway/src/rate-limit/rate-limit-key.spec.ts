import { Principal } from '../auth/principal';
import { rateLimitKey } from './rate-limit-key';

const principal = (subject: string, kind: Principal['kind'] = 'customer'): Principal => ({
  subject,
  issuer: 'https://issuer.example',
  kind,
  roles: [],
  scopes: [],
});

describe('rateLimitKey', () => {
  it('counts a request with a principal against the principal, wherever it comes from', () => {
    expect(rateLimitKey({ principal: principal('alice'), ip: '10.0.0.1' })).toBe('principal:customer:alice');
    expect(rateLimitKey({ principal: principal('alice'), ip: '10.0.0.2' })).toBe('principal:customer:alice');
  });

  it('gives two principals behind one address two budgets', () => {
    const alice = rateLimitKey({ principal: principal('alice'), ip: '10.0.0.1' });
    const bob = rateLimitKey({ principal: principal('bob'), ip: '10.0.0.1' });
    const operator = rateLimitKey({ principal: principal('alice', 'operator'), ip: '10.0.0.1' });
    expect(new Set([alice, bob, operator]).size).toBe(3);
  });

  it('counts an anonymous request against its client address, an IPv4-mapped one as IPv4', () => {
    expect(rateLimitKey({ ip: '10.0.0.1' })).toBe('ip:10.0.0.1');
    expect(rateLimitKey({ ip: '::ffff:10.0.0.1' })).toBe('ip:10.0.0.1');
    expect(rateLimitKey({ ip: '10.0.0.2' })).not.toBe(rateLimitKey({ ip: '10.0.0.1' }));
  });

  it('counts an anonymous IPv6 client by its /64', () => {
    expect(rateLimitKey({ ip: '2001:db8:1:2:aaaa::1' })).toBe(rateLimitKey({ ip: '2001:db8:1:2:bbbb::2' }));
    expect(rateLimitKey({ ip: '2001:db8:1:3::1' })).not.toBe(rateLimitKey({ ip: '2001:db8:1:2::1' }));
  });
});
