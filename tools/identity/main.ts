import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { identityEnvSchema } from './identity.env';
import { handleInteraction } from './login-page';
import { createProvider } from './provider';
import { loadSeed } from './seed';

/**
 * The local OpenID Connect provider: `npm start` and the e2e suites run it beside the apps so that the
 * system needs no outside service. Development only; production points the gateway at a real issuer.
 */
function main(): void {
  const env = identityEnvSchema.parse(process.env);
  const issuer = env.OIDC_ISSUER_URL ?? `http://127.0.0.1:${env.HTTP_PORT}`;
  const seed = loadSeed(resolve(env.IDENTITY_SEED_FILE));
  const provider = createProvider({
    issuer,
    audience: env.OIDC_AUDIENCE,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    seed,
  });
  provider.on('server_error', (_ctx, error) => console.error(`identity: ${error.stack ?? error.message}`));
  const answerOidc = provider.callback();

  const server = createServer((request, response) => {
    if (request.url === '/health/live' || request.url === '/health/ready') {
      // The pid: the supervisor (tools/system) checks that it is its own child that answers.
      response
        .writeHead(200, { 'content-type': 'application/json', 'x-process-id': String(process.pid) })
        .end('{"status":"ok"}');
      return;
    }
    handleInteraction(provider, seed, request, response)
      .then((handled) => {
        if (!handled) void answerOidc(request, response);
      })
      .catch((error: unknown) => {
        console.error(`identity: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain' });
        response.end('Sign-in failed; start again from the application.');
      });
  });
  server.listen(env.HTTP_PORT, '127.0.0.1', () =>
    console.log(`identity: OpenID Connect provider at ${issuer} (audience ${env.OIDC_AUDIENCE})`),
  );
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
