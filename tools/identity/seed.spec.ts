import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { API_SCOPES } from '../../apps/gateway/src/auth/token-claims';
import { apiScopes, loadSeed } from './seed';

describe('the development seed of the local provider', () => {
  const seed = loadSeed(resolve(__dirname, 'seed.json'));

  it('has two customers bound to customer ids, an operator and a machine client', () => {
    const customers = seed.users.filter((user) => user.roles.includes('customer'));
    expect(customers.map((user) => user.customerId)).toEqual(['alice', 'bob']);
    expect(seed.users.some((user) => user.roles.includes('operator'))).toBe(true);
    expect(seed.clients.some((client) => client.kind === 'machine')).toBe(true);
  });

  it('gives machine clients only scopes the gateway knows', () => {
    expect(apiScopes(seed).filter((scope) => !(API_SCOPES as readonly string[]).includes(scope))).toEqual([]);
  });

  it('refuses a customer without a customer id', () => {
    const broken = {
      users: [{ username: 'carol', password: 'carol-dev-password', name: 'Carol', roles: ['customer'] }],
      clients: [],
    };
    expect(() => loadSeedFrom(broken)).toThrow(/customerId/);
  });
});

function loadSeedFrom(content: object) {
  const path = resolve(mkdtempSync(resolve(tmpdir(), 'seed-')), 'seed.json');
  writeFileSync(path, JSON.stringify(content));
  return loadSeed(path);
}
