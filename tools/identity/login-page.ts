import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { passwordMatches } from './passwords';
import type { IdentitySeed } from './seed';

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;
const MAX_FORM_BYTES = 4096;

/**
 * The provider's sign-in page (oidc-provider leaves interactions to the host): a username and password
 * form checked against the seed. Consent is not asked (see grantConsent).
 * Returns false when the request is not an interaction, for the provider to answer.
 */
export async function handleInteraction(
  provider: Provider,
  seed: IdentitySeed,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const match = INTERACTION_PATH.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
  if (!match) return false;
  const [, uid, isSubmit] = match;
  const details = await provider.interactionDetails(request, response);
  if (details.uid !== uid) {
    sendPage(response, 400, '<p>This sign-in is no longer valid; start again from the application.</p>');
    return true;
  }
  if (details.prompt.name === 'consent') {
    const grantId = await grantConsent(provider, details);
    await provider.interactionFinished(
      request,
      response,
      { consent: { grantId } },
      {
        mergeWithLastSubmission: true,
      },
    );
    return true;
  }
  if (request.method === 'GET' && !isSubmit) {
    sendPage(response, 200, loginForm(uid!));
    return true;
  }
  if (request.method === 'POST' && isSubmit) {
    const form = new URLSearchParams(await readBody(request));
    const user = seed.users.find((candidate) => candidate.username === form.get('username'));
    if (!user || !passwordMatches(user, form.get('password') ?? '')) {
      sendPage(response, 401, loginForm(uid!, 'Wrong username or password.'));
      return true;
    }
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: user.username } },
      { mergeWithLastSubmission: false },
    );
    return true;
  }
  sendPage(response, 405, '<p>Method not allowed.</p>');
  return true;
}

/**
 * Every client of this provider is Orderflow's own, so a signed-in user is not asked to consent: what
 * the client asked for is granted (oidc-provider asks anyway, e.g. always for native clients).
 */
async function grantConsent(provider: Provider, interaction: Interaction): Promise<string> {
  const { prompt, params, session } = interaction;
  const grant = interaction.grantId
    ? await provider.Grant.find(interaction.grantId)
    : new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error('the grant of this sign-in is gone');
  const details = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return grant.save();
}

function loginForm(uid: string, problem?: string): string {
  return `<h1>Sign in to Orderflow</h1>
${problem ? `<p role="alert" class="problem">${problem}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <label>Username <input name="username" autocomplete="username" required autofocus></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>
<p class="note">Development provider: the users are in tools/identity/seed.json.</p>`;
}

function sendPage(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // No form-action: the sign-in's redirects end at the client, on another origin.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Orderflow</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto}label,button{display:block;margin:.75rem 0}
input{width:100%;padding:.4rem}.problem{color:#b00020}.note{color:#666;font-size:.85rem}</style></head>
<body>${body}</body></html>`);
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) throw new Error('sign-in form too large');
  }
  return body;
}
