import { join } from 'node:path';
import { repositoryRoot } from '../system/repository-root';
import { loadSeed } from './seed';
import { clientToken, userToken } from './token-client';

/**
 * Tokens for the development users and clients of seed.json, from a running provider: `npm run token`,
 * the e2e suites and the benchmarks. The seed's passwords and secrets are what makes this dev-only.
 */
// From the repository, not next to this file: compiled for the benchmarks it runs from dist-bench/.
const seed = loadSeed(join(repositoryRoot(), 'tools', 'identity', 'seed.json'));

export const seedUsernames = seed.users.map((user) => user.username);

export function seedUserToken(issuer: string, audience: string, username: string): Promise<string> {
  const user = seed.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no user ${username} in the seed (users: ${seedUsernames.join(', ')})`);
  return userToken({ issuer, audience, username, password: user.password });
}

export function seedClientToken(issuer: string, audience: string, clientId: string): Promise<string> {
  const client = seed.clients.find((candidate) => candidate.clientId === clientId);
  if (client?.kind !== 'machine') throw new Error(`no machine client ${clientId} in the seed`);
  return clientToken({ issuer, audience, clientId, secret: client.secret, scopes: client.scopes });
}
