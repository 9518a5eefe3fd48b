import { decodeProtectedHeader, exportSPKI, generateKeyPair, importJWK, JWK, SignJWT, UnsecuredJWT } from 'jose';
import type { CustomerView, OrderAccepted, OrderView, Page } from '@orderflow/contracts';
import { AppProcess } from '../../tools/system/app-process';
import { identityApp } from '../../tools/system/identity-app';
import { freePort } from '../../tools/system/free-port';
import { eventually } from '../support/eventually';
import { createProduct, orderReaching } from '../support/fixtures';
import { Http, HttpResponse } from '../support/http';
import { SystemUnderTest } from '../support/system-under-test';
import { TestIssuer } from './test-issuer';

const REALM = 'Bearer realm="orderflow"';

/** The challenge of an RFC 6750 refusal, and a body in the house's error shape without a stack trace. */
function expectRefused(response: HttpResponse, status: 401 | 403, error?: string, description?: RegExp): void {
  expect(response.status).toBe(status);
  const challenge = response.headers.get('www-authenticate') ?? '';
  if (error) {
    expect(challenge).toMatch(new RegExp(`^${REALM}, error="${error}"`));
    if (description) expect(challenge).toMatch(new RegExp(`error_description="[^"]*${description.source}`));
  } else {
    expect(challenge).toBe(REALM);
  }
  expect(response.body).toEqual({
    statusCode: status,
    error: status === 401 ? 'Unauthorized' : 'Forbidden',
    message: expect.any(String),
  });
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.js:\d+/);
}

describe('HTTP: OpenID Connect bearer tokens at the gateway', () => {
  const system = new SystemUnderTest();
  const anonymous = system.httpAs('anonymous');
  const alice = system.httpAs('alice');
  const bob = system.httpAs('bob');
  const operator = system.httpAs('olivia');
  const storefront = system.httpAs('storefront');
  const withToken = (token: string) => anonymous.as(() => Promise.resolve(token));
  let sku: string;
  // A second gateway trusting an issuer the test controls, up for the whole suite: its joining and
  // leaving rebalance the gateways' reply consumers, which must not happen under the other cases.
  let issuer: TestIssuer;
  let gateway: AppProcess;
  let http: Http;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    gateway = await AppProcess.start({
      app: 'gateway',
      instance: 'gateway-test-issuer',
      port: await freePort(),
      env: {
        ...system.kafkaEnvironment('gateway'),
        OIDC_ISSUER_URL: issuer.url,
        OIDC_AUDIENCE: identityApp.audience,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
      },
      logDir: system.environment.logDir,
    });
    await gateway.waitUntilReady();
    http = anonymous.at(gateway.url);
    await eventually(async () => expect((await anonymous.get('/health/ready')).status).toBe(200));
    for (const id of ['alice', 'bob']) {
      const opened = await operator.post<CustomerView>('/customers', { id, name: id, openingBalanceCents: 1_000_000 });
      expect([201, 409]).toContain(opened.status);
    }
    sku = (await createProduct(operator, { stock: 1_000, priceCents: 100 })).sku;
  });

  afterAll(async () => {
    await gateway?.stop();
    await issuer?.stop();
    await system.close();
  });

  describe('tokens that are missing or not right', () => {
    let realToken: string;
    let realKid: string;
    const claims = () => ({
      iss: system.environment.issuerUrl,
      aud: identityApp.audience,
      sub: 'olivia',
      roles: ['operator'],
      exp: Math.floor(Date.now() / 1000) + 300,
    });

    beforeAll(async () => {
      realToken = await system.tokens.user('olivia');
      realKid = decodeProtectedHeader(realToken).kid!;
    });

    it('accepts the real token (the control for every case below)', async () => {
      expect((await withToken(realToken).get('/products')).status).toBe(200);
    });

    it('asks for a token, without an error attribute, when none is sent', async () => {
      expectRefused(await anonymous.get('/products'), 401);
      expectRefused(await anonymous.get('/products', { authorization: 'Basic YWxpY2U6c2VjcmV0' }), 401);
    });

    it('refuses a malformed token', async () => {
      expectRefused(await withToken('not-a-jwt').get('/products'), 401, 'invalid_token', /the token is malformed/);
      const [header, payload] = realToken.split('.');
      expectRefused(await withToken(`${header}.${payload}`).get('/products'), 401, 'invalid_token');
    });

    it('refuses a token signed with a foreign key pair, under its own key id or the issuer’s', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      for (const kid of ['foreign-key', realKid]) {
        const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
        expectRefused(await withToken(forged).get('/products'), 401, 'invalid_token', /the token's signature/);
      }
    });

    it('refuses an unsigned token (alg: none)', async () => {
      const unsigned = new UnsecuredJWT(claims()).encode();
      expectRefused(await withToken(unsigned).get('/products'), 401, 'invalid_token');
    });

    it('refuses a token signed with HMAC using the issuer’s public key as the secret', async () => {
      const jwks = (await (await fetch(`${system.environment.issuerUrl}/jwks`)).json()) as { keys: JWK[] };
      const publicJwk = jwks.keys.find((key) => key.kid === realKid)!;
      const publicPem = await exportSPKI(
        (await importJWK({ ...publicJwk, alg: 'RS256' }, 'RS256', { extractable: true })) as never,
      );
      const confused = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: realKid })
        .sign(new TextEncoder().encode(publicPem));
      expectRefused(
        await withToken(confused).get('/products'),
        401,
        'invalid_token',
        /an algorithm that is not accepted/,
      );
    });

    describe('signed right, by an issuer a second gateway trusts, but with a bad claim', () => {
      const call = async (claimsOverride: Record<string, unknown>) =>
        http.get('/products', { authorization: `Bearer ${await issuer.sign(identityApp.audience, claimsOverride)}` });
      const now = () => Math.floor(Date.now() / 1000);

      it('accepts its well-formed token', async () => {
        expect((await call({})).status).toBe(200);
      });

      it('refuses an expired token', async () => {
        expectRefused(await call({ exp: now() - 60 }), 401, 'invalid_token', /the token has expired/);
      });

      it('refuses a token that is not valid yet', async () => {
        expectRefused(await call({ nbf: now() + 600 }), 401, 'invalid_token', /the token is not valid yet/);
      });

      it('refuses a token from another issuer', async () => {
        expectRefused(await call({ iss: 'https://elsewhere.example' }), 401, 'invalid_token', /another issuer/);
      });

      it('refuses a token for another audience', async () => {
        expectRefused(await call({ aud: 'another-api' }), 401, 'invalid_token', /another audience/);
      });

      it('does not trust the local provider’s tokens', async () => {
        const response = await http.get('/products', { authorization: `Bearer ${realToken}` });
        expectRefused(response, 401, 'invalid_token');
      });
    });
  });

  describe('a customer acts as themselves only', () => {
    let aliceOrder: OrderAccepted;

    beforeAll(async () => {
      const placed = await alice.post<OrderAccepted>('/orders', { customerId: 'alice', items: [{ sku, quantity: 1 }] });
      expect(placed.status).toBe(202);
      aliceOrder = placed.body;
    });

    it('places, reads and lists their own orders, and reads their own balance and notifications', async () => {
      expect((await alice.get<OrderView>(`/orders/${aliceOrder.id}`)).body.customerId).toBe('alice');
      const listed = await alice.get<Page<OrderView>>('/orders');
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((order) => order.customerId)).toEqual(listed.body.items.map(() => 'alice'));
      expect(listed.body.items.map((order) => order.id)).toContain(aliceOrder.id);
      expect((await alice.get<CustomerView>('/customers/alice')).status).toBe(200);
      expect((await alice.get('/customers/alice/notifications')).status).toBe(200);
    });

    it('answers 403 to an order in someone else’s name', async () => {
      const response = await alice.post('/orders', { customerId: 'bob', items: [{ sku, quantity: 1 }] });
      expectRefused(response, 403, 'insufficient_scope');
    });

    it('answers 404 for another customer’s order, to read or to cancel it, and cancels nothing', async () => {
      const read = await bob.get(`/orders/${aliceOrder.id}`);
      expect(read.status).toBe(404);
      const waited = await bob.get(`/orders/${aliceOrder.id}?waitFor=CONFIRMED&timeoutMs=100`);
      expect(waited.status).toBe(404);
      const missing = await bob.get('/orders/00000000-0000-4000-8000-000000000000');
      expect(read.body).toEqual({ ...(missing.body as object), message: `order ${aliceOrder.id} does not exist` });
      expect((await bob.post(`/orders/${aliceOrder.id}/cancel`)).status).toBe(404);
      expect(await orderReaching(alice, aliceOrder.id)).toMatchObject({ status: 'CONFIRMED' });
    });

    it('keeps an Idempotency-Key to its principal: the same key from two customers places two orders', async () => {
      const key = { 'Idempotency-Key': `shared-${sku}` };
      const first = await alice.post<OrderAccepted>(
        '/orders',
        { customerId: 'alice', items: [{ sku, quantity: 1 }] },
        key,
      );
      const retried = await alice.post<OrderAccepted>(
        '/orders',
        { customerId: 'alice', items: [{ sku, quantity: 1 }] },
        key,
      );
      const bobs = await bob.post<OrderAccepted>('/orders', { customerId: 'bob', items: [{ sku, quantity: 1 }] }, key);
      expect([first.status, retried.status, bobs.status]).toEqual([202, 202, 202]);
      expect(retried.body.id).toBe(first.body.id);
      expect(bobs.body.id).not.toBe(first.body.id);
      expect((await bob.get<OrderView>(`/orders/${bobs.body.id}`)).body.customerId).toBe('bob');
    });

    it('cannot read another customer’s balance, notifications or orders', async () => {
      expectRefused(await alice.get('/customers/bob'), 403, 'insufficient_scope');
      expectRefused(await alice.get('/customers/bob/notifications'), 403, 'insufficient_scope');
      expectRefused(await alice.get('/orders?customerId=bob'), 403, 'insufficient_scope');
      const bobsList = await bob.get<Page<OrderView>>('/orders');
      expect(bobsList.body.items.map((order) => order.id)).not.toContain(aliceOrder.id);
    });

    it('cannot reach the operators’ routes', async () => {
      const refusals = [
        await alice.post('/products', { sku: 'NOPE-1', name: 'Nope', priceCents: 1, stock: 1 }),
        await alice.post(`/products/${sku}/restock`, { quantity: 5 }),
        await alice.post('/customers', { id: 'mallory', name: 'Mallory', openingBalanceCents: 1_000_000 }),
        await alice.get('/audit'),
        await alice.get(`/orders/${aliceOrder.id}/timeline`),
        await alice.get('/search/orders?q=alice'),
        await alice.get('/analytics/top-skus'),
        await alice.get('/dashboard/events'),
      ];
      for (const response of refusals) expectRefused(response, 403, 'insufficient_scope');
    });
  });

  describe('an operator and the machine clients', () => {
    it('lets an operator manage products and stock and read every order, the audit log and search', async () => {
      const product = await createProduct(operator, { stock: 1, priceCents: 250 });
      expect((await operator.post(`/products/${product.sku}/restock`, { quantity: 4 })).status).toBe(200);
      const placed = await alice.post<OrderAccepted>('/orders', { customerId: 'alice', items: [{ sku, quantity: 1 }] });
      expect((await operator.get<OrderView>(`/orders/${placed.body.id}`)).body.customerId).toBe('alice');
      expect((await operator.get('/orders?customerId=bob')).status).toBe(200);
      expect((await operator.get('/customers/alice')).status).toBe(200);
      expect((await operator.get('/audit')).status).toBe(200);
      expect((await operator.get('/search/orders?q=alice')).status).toBe(200);
    });

    it('does not let an operator place or cancel orders in a customer’s name', async () => {
      const order = { customerId: 'alice', items: [{ sku, quantity: 1 }] };
      expectRefused(await operator.post('/orders', order), 403, 'insufficient_scope');
      const cancel = await operator.post('/orders/00000000-0000-4000-8000-000000000000/cancel');
      expectRefused(cancel, 403, 'insufficient_scope');
    });

    it('gives a machine client what its scopes grant, and names the scope it lacks', async () => {
      expect((await storefront.post('/orders', { customerId: 'bob', items: [{ sku, quantity: 1 }] })).status).toBe(202);
      const refused = await storefront.post('/products', { sku: 'NOPE-2', name: 'Nope', priceCents: 1, stock: 1 });
      expectRefused(refused, 403, 'insufficient_scope');
      expect(refused.headers.get('www-authenticate')).toContain('scope="products:write"');
    });

    it('keeps the probes, the API documents and the dashboard page open', async () => {
      for (const path of ['/health/live', '/health/ready', '/asyncapi.json', '/dashboard']) {
        expect({ path, status: (await anonymous.get(path)).status }).toEqual({ path, status: 200 });
      }
    });
  });
});
