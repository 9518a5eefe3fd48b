import { requestIdFrom } from './request-id';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('keeps a well-formed id sent by the caller', () => {
    expect(requestIdFrom('req-42.a:b_c')).toBe('req-42.a:b_c');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
  });

  it('generates a uuid when the header is missing', () => {
    expect(requestIdFrom(undefined)).toMatch(uuid);
  });

  it('replaces an id that is too long or carries unsafe characters', () => {
    expect(requestIdFrom('x'.repeat(129))).toMatch(uuid);
    expect(requestIdFrom('evil\r\nSet-Cookie: a=b')).toMatch(uuid);
    expect(requestIdFrom('')).toMatch(uuid);
  });
});
