import { principalFromClaims } from './token-claims';

const names = { roles: 'roles', customerId: 'customer_id' };
const issuer = 'https://id.example.com';

describe('principalFromClaims', () => {
  it('makes an operator of a user with the operator role', () => {
    expect(principalFromClaims({ iss: issuer, sub: 'olivia', roles: ['operator'] }, names)).toEqual({
      subject: 'olivia',
      issuer,
      kind: 'operator',
      roles: ['operator'],
      scopes: [],
    });
  });

  it('binds a customer to the customer id the issuer put in the token', () => {
    const principal = principalFromClaims(
      { iss: issuer, sub: 'u-1', roles: ['customer'], customer_id: 'alice' },
      names,
    );
    expect(principal).toMatchObject({ kind: 'customer', subject: 'u-1', customerId: 'alice' });
  });

  it('makes a machine client of a token without user roles, with its scopes and no roles', () => {
    const claims = { iss: issuer, sub: 'storefront', client_id: 'storefront', scope: 'orders:read orders:write' };
    expect(principalFromClaims(claims, names)).toEqual({
      subject: 'storefront',
      issuer,
      kind: 'client',
      roles: [],
      scopes: ['orders:read', 'orders:write'],
    });
  });

  it('reads roles at a dotted path (Keycloak) and scopes from scp (Entra ID)', () => {
    const keycloak = principalFromClaims(
      { iss: issuer, sub: 'k-1', realm_access: { roles: ['operator', 'offline_access'] } },
      { ...names, roles: 'realm_access.roles' },
    );
    expect(keycloak).toMatchObject({ kind: 'operator', roles: ['operator', 'offline_access'] });
    const entra = principalFromClaims({ iss: issuer, sub: 'app-1', azp: 'app-1', scp: 'orders:read' }, names);
    expect(entra).toMatchObject({ kind: 'client', subject: 'app-1', scopes: ['orders:read'] });
  });

  it('grants nothing for an unknown role or an empty customer id', () => {
    const principal = principalFromClaims({ iss: issuer, sub: 'x', roles: ['admin'], customer_id: '' }, names);
    expect(principal).toMatchObject({ kind: 'client', scopes: [], roles: [] });
  });
});
