import { join } from 'node:path';
import { nodeOptions } from './apps';
import { repositoryRoot } from './repository-root';

/**
 * The local OpenID Connect provider (tools/identity), run like the apps: built, as its own process,
 * ready on `/health/ready`. The gateway verifies the tokens it issues for `OIDC_AUDIENCE`.
 */
export const identityApp = {
  name: 'identity',
  port: 3100,
  audience: 'urn:orderflow:api',
  entryPoint: 'dist/tools/identity/main.js',
} as const;

export function identityCommand(): { executable: string; args: string[] } {
  return { executable: process.execPath, args: [...nodeOptions, join(repositoryRoot(), identityApp.entryPoint)] };
}

/** What the gateway needs to find the provider (discovery) and to check a token's audience. */
export function gatewayIdentityEnvironment(issuerUrl: string): Record<string, string> {
  return { OIDC_ISSUER_URL: issuerUrl, OIDC_AUDIENCE: identityApp.audience };
}
