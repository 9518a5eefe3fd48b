import { request } from 'node:http';
import { AppProcess } from '../../tools/system/app-process';
import { freePort } from '../../tools/system/free-port';
import { SystemUnderTest } from '../support/system-under-test';

const LIMIT = 5;

/**
 * A second gateway with a low limit beside the suite's own (whose default limit no suite reaches).
 * A signed-in caller is counted by its principal; an anonymous one (the open routes) by its address:
 * a connection from another loopback address (127.0.0.2) is another client.
 */
describe('rate limiting at the gateway', () => {
  const system = new SystemUnderTest();
  let gateway: AppProcess;

  beforeAll(async () => {
    gateway = await AppProcess.start({
      app: 'gateway',
      instance: 'gateway-rate-limited',
      port: await freePort(),
      env: {
        ...system.kafkaEnvironment('gateway'),
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        OIDC_ISSUER_URL: system.environment.issuerUrl,
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
      },
      logDir: system.environment.logDir,
    });
    await gateway.waitUntilReady();
  });

  afterAll(async () => {
    await gateway?.stop();
    await system.close();
  });

  /** GET from a given local address (the kernel would pick 127.0.0.1 for any loopback destination). */
  const from = (localAddress: string, path: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port: gateway.launch.port, path, localAddress, agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on('error', reject);
      })
        .on('error', reject)
        .end();
    });

  it('answers a principal 429 with Retry-After past its limit, while another principal and the probes get through', async () => {
    const alice = system.httpAs('alice').at(gateway.url);
    const bob = system.httpAs('bob').at(gateway.url);
    for (let index = 0; index < LIMIT; index++) expect((await alice.get('/orders?limit=1')).status).toBe(200);

    const refused = await alice.get('/orders?limit=1');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });

    expect((await bob.get('/orders?limit=1')).status).toBe(200);
    expect((await from('127.0.0.1', '/health/ready')).status).toBe(200);
  });

  it('counts anonymous callers of the open routes by their address', async () => {
    for (let index = 0; index < LIMIT; index++) expect((await from('127.0.0.1', '/asyncapi.json')).status).toBe(200);
    expect((await from('127.0.0.1', '/asyncapi.json')).status).toBe(429);
    expect((await from('127.0.0.2', '/asyncapi.json')).status).toBe(200);
  });
});
