import { identityApp } from '../system/identity-app';
import { seedClientToken, seedUsernames, seedUserToken } from './seed-tokens';

/**
 * `npm run token -- <username>` prints an access token for a development user of the local provider
 * (signing in on its page with the seed's password: authorization code + PKCE); `npm run token --
 * --client <id>` one for a machine client (client credentials, all its scopes). Development only.
 */
async function main(): Promise<void> {
  const [first, second] = process.argv.slice(2);
  const issuer = process.env.OIDC_ISSUER_URL ?? `http://127.0.0.1:${identityApp.port}`;
  const audience = process.env.OIDC_AUDIENCE ?? identityApp.audience;
  if (first === '--client' && second) {
    console.log(await seedClientToken(issuer, audience, second));
  } else if (first && seedUsernames.includes(first)) {
    console.log(await seedUserToken(issuer, audience, first));
  } else {
    throw new Error(`usage: npm run token -- <${seedUsernames.join('|')}> | --client <storefront|back-office>`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
