import { randomUUID } from 'node:crypto';
import { replyTopicOf, requestTopics } from '@orderflow/contracts';
import { eventually } from './support/eventually';
import { createCustomer, createProduct, placeOrder } from './support/fixtures';
import { SystemUnderTest } from './support/system-under-test';

describe('foundation: real broker, real databases, real apps', () => {
  const system = new SystemUnderTest();

  afterAll(() => system.close());

  it('answers an HTTP call through Kafka request-reply (gateway → orders → gateway)', async () => {
    const customer = await createCustomer(system.http, 1_000);
    const product = await createProduct(system.http, { stock: 5, priceCents: 100 });

    const accepted = await placeOrder(system.http, {
      customerId: customer.id,
      items: [{ sku: product.sku, quantity: 1 }],
    });
    expect(accepted).toEqual({ id: expect.any(String), status: 'PENDING' });

    const read = await system.http.get<{ id: string; customerId: string }>(`/orders/${accepted.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: accepted.id, customerId: customer.id });

    const rows = await system.query('orders', 'SELECT customer_id FROM customer_order WHERE id = $1', [accepted.id]);
    expect(rows).toEqual([{ customer_id: customer.id }]);
  });

  it('carries a rejection back through the reply path as an HTTP status', async () => {
    const response = await system.http.get(`/orders/${randomUUID()}`);
    expect(response.status).toBe(404);
  });

  it('delivers a message emitted by one app to another, which persists it', async () => {
    const customer = await createCustomer(system.http, 1_000);
    const product = await createProduct(system.http, { stock: 5, priceCents: 100 });
    const accepted = await placeOrder(system.http, {
      customerId: customer.id,
      items: [{ sku: product.sku, quantity: 2 }],
    });

    // orders published inventory.reserve through its outbox; inventory consumed it and stored the reservation.
    const reservation = await eventually(async () => {
      const rows = await system.query<{ status: string }>(
        'inventory',
        'SELECT status FROM stock_reservation WHERE order_id = $1',
        [accepted.id],
      );
      expect(rows).toHaveLength(1);
      return rows[0];
    });
    expect(reservation.status).toBe('RESERVED');
  });

  it('serves the AsyncAPI document of its Kafka topics beside /docs, and a readable page of it', async () => {
    const document = await system.http.get<{ asyncapi: string; channels: Record<string, { address: string }> }>(
      '/asyncapi.json',
    );
    expect(document.status).toBe(200);
    expect(document.body.asyncapi).toBe('3.0.0');
    expect(document.body.channels['orders.create']).toMatchObject({ address: 'orders.create' });

    const page = await system.http.get<string>('/asyncapi');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('<code>orders.create</code>');
  });

  it('sends the security headers on the API, the docs and the pages, each page with its own policy', async () => {
    const answers = {
      api: await system.http.get(`/orders/${randomUUID()}`),
      docs: await system.http.get('/docs'),
      dashboard: await system.http.get('/dashboard'),
      asyncapi: await system.http.get('/asyncapi'),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect({ name, nosniff: answer.headers.get('x-content-type-options') }).toEqual({ name, nosniff: 'nosniff' });
      expect({ name, frame: answer.headers.get('x-frame-options') }).toEqual({ name, frame: 'DENY' });
      expect({ name, poweredBy: answer.headers.get('x-powered-by') }).toEqual({ name, poweredBy: null });
    }
    expect(answers.docs.status).toBe(200);
    expect(answers.docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(answers.dashboard.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-/);
    expect(answers.asyncapi.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('runs on a real Kafka broker with every reply topic pre-created with explicit partitions', async () => {
    const admin = system.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: requestTopics.map(replyTopicOf) });
      expect(topics).toHaveLength(requestTopics.length);
      for (const topic of topics) expect(topic.partitions.length).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.disconnect();
    }
  });
});
