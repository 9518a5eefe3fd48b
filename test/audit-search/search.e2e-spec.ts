import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { OrderSearchHit } from '@orderflow/contracts';
import { eventually } from '../support/eventually';
import { createCustomer, createProduct, envelope, orderReaching, placeOrder } from '../support/fixtures';
import { SystemUnderTest } from '../support/system-under-test';
import { allPages, handledBy, searchOrders, uniqueWord } from './audit-search-support';

const repositoryRoot = resolve(__dirname, '../..');

describe('order search', () => {
  const system = new SystemUnderTest();
  const http = system.http;
  const runWord = uniqueWord();
  const mugWord = uniqueWord();
  const teapotWord = uniqueWord();
  const orders: Record<'aliceMug' | 'aliceTeapots' | 'bobBoth' | 'declined', string> = {
    aliceMug: '',
    aliceTeapots: '',
    bobBoth: '',
    declined: '',
  };
  let aliceId = '';
  let teapotSku = '';

  beforeAll(async () => {
    const mug = await createProduct(http, { stock: 100, priceCents: 1_000, name: `${runWord} ${mugWord} Mug` });
    const teapot = await createProduct(http, {
      stock: 100,
      priceCents: 2_500,
      name: `${runWord} ${teapotWord} Teapot`,
    });
    teapotSku = teapot.sku;
    const alice = await createCustomer(http, 100_000);
    const bob = await createCustomer(http, 100_000);
    const broke = await createCustomer(http, 0);
    aliceId = alice.id;
    const place = async (customerId: string, items: { sku: string; quantity: number }[]) =>
      (await placeOrder(http, { customerId, items })).id;
    orders.aliceMug = await place(alice.id, [{ sku: mug.sku, quantity: 1 }]); // 1000
    orders.aliceTeapots = await place(alice.id, [{ sku: teapot.sku, quantity: 2 }]); // 5000
    orders.bobBoth = await place(bob.id, [
      { sku: mug.sku, quantity: 1 },
      { sku: teapot.sku, quantity: 1 },
    ]); // 3500
    orders.declined = await place(broke.id, [{ sku: mug.sku, quantity: 3 }]); // 3000, payment declined
    for (const id of Object.values(orders)) await orderReaching(http, id);
    await eventually(
      async () => {
        const result = await searchOrders(http, { q: runWord });
        expect(result.statusCounts).toMatchObject({ CONFIRMED: 3, CANCELLED: 1 });
      },
      { timeoutMs: 30_000 },
    );
  });

  afterAll(() => system.close());

  const ids = (hits: OrderSearchHit[]) => hits.map((hit) => hit.orderId).sort();
  const expected = (...names: (keyof typeof orders)[]) => names.map((name) => orders[name]).sort();

  it('finds orders by a word of a product name, with the names and prices of their lines', async () => {
    const mugs = await searchOrders(http, { q: mugWord });
    expect(ids(mugs.items)).toEqual(expected('aliceMug', 'bobBoth', 'declined'));
    const hit = mugs.items.find((item) => item.orderId === orders.aliceMug);
    expect(hit).toMatchObject({
      customerId: aliceId,
      status: 'CONFIRMED',
      totalCents: 1_000,
      lines: [expect.objectContaining({ name: `${runWord} ${mugWord} Mug`, quantity: 1, unitPriceCents: 1_000 })],
    });
    // English stemming: "teapots" finds "Teapot"; every word must match.
    const teapots = await searchOrders(http, { q: `${runWord} teapots` });
    expect(ids(teapots.items)).toEqual(expected('aliceTeapots', 'bobBoth'));
  });

  it('finds orders by part of a sku', async () => {
    const part = teapotSku.slice(5, 10).toLowerCase();
    const result = await searchOrders(http, { q: part });
    expect(ids(result.items)).toEqual(expected('aliceTeapots', 'bobBoth'));
  });

  it('filters by customer, status and total range, with counts per status for the same query', async () => {
    expect(ids((await searchOrders(http, { customerId: aliceId })).items)).toEqual(
      expected('aliceMug', 'aliceTeapots'),
    );

    const cancelled = await searchOrders(http, { q: runWord, status: 'CANCELLED' });
    expect(ids(cancelled.items)).toEqual(expected('declined'));
    expect(cancelled.items[0]).toMatchObject({ cancelReason: 'PAYMENT_DECLINED' });
    expect(cancelled.total).toBe(1);
    expect(cancelled.statusCounts).toEqual({
      PENDING: 0,
      STOCK_RESERVED: 0,
      PAID: 0,
      CONFIRMED: 3,
      CANCELLING: 0,
      CANCELLED: 1,
    });

    const between = await searchOrders(http, { q: runWord, minTotal: 3_000, maxTotal: 3_500 });
    expect(ids(between.items)).toEqual(expected('bobBoth', 'declined'));
    const above = await searchOrders(http, { q: runWord, minTotal: 3_001, status: 'CONFIRMED' });
    expect(ids(above.items)).toEqual(expected('aliceTeapots', 'bobBoth'));
    expect(above.statusCounts).toMatchObject({ CONFIRMED: 2, CANCELLED: 0 });

    expect((await http.get(`/search/orders?minTotal=5&maxTotal=1`)).status).toBe(400);
    expect((await http.get(`/search/orders?status=LOST`)).status).toBe(400);
  });

  it('pages through the matches, each order once, in the order asked for', async () => {
    const newest = await allPages(http, { q: runWord, limit: 1 });
    expect(newest).toHaveLength(4);
    expect([...newest].sort()).toEqual(expected('aliceMug', 'aliceTeapots', 'bobBoth', 'declined'));
    expect(newest).toEqual([orders.declined, orders.bobBoth, orders.aliceTeapots, orders.aliceMug]);

    const byTotal = await allPages(http, { q: runWord, limit: 3, sort: 'total-asc' });
    expect(byTotal).toEqual([orders.aliceMug, orders.declined, orders.bobBoth, orders.aliceTeapots]);
    const first = await searchOrders(http, { q: runWord, limit: 3, sort: 'total-asc' });
    expect((await http.get(`/search/orders?q=${runWord}&sort=newest&cursor=${first.nextCursor}`)).status).toBe(400);
  });

  it('converges on the right order whatever the delivery order, and ignores redeliveries', async () => {
    const word = uniqueWord();
    const product = await createProduct(http, { stock: 10, priceCents: 700, name: `${word} Kettle` });
    const orderId = randomUUID();
    const customerId = `c-${uniqueWord()}`;
    const start = Date.now() - 60_000;
    const at = (step: number, message: ReturnType<typeof envelope>) => ({
      ...message,
      occurredAt: new Date(start + step * 10).toISOString(),
    });
    const status = (version: number, to: string, from: string) =>
      at(
        version,
        envelope('order.status-changed', orderId, version, { orderId, customerId, status: to, previousStatus: from }),
      );
    const created = at(
      0,
      envelope('order.created', orderId, 1, { orderId, customerId, items: [{ sku: product.sku, quantity: 2 }] }),
    );
    const reserved = at(
      1,
      envelope('inventory.reserved', orderId, 1, {
        orderId,
        items: [{ sku: product.sku, quantity: 2, unitPriceCents: 700 }],
        totalCents: 1_400,
      }),
    );
    const toReserved = status(2, 'STOCK_RESERVED', 'PENDING');
    const toPaid = status(3, 'PAID', 'STOCK_RESERVED');
    const toConfirmed = status(4, 'CONFIRMED', 'PAID');
    const confirmed = at(5, envelope('order.confirmed', orderId, 4, { orderId, customerId, totalCents: 1_400 }));

    const producer = await system.producer();
    const send = async (...messages: ReturnType<typeof envelope>[]) => {
      const sent = [];
      for (const message of messages) {
        sent.push(
          ...(await producer.send({
            topic: message.type,
            messages: [{ key: orderId, value: JSON.stringify(message) }],
          })),
        );
      }
      return sent;
    };
    // Newest first, then everything again, then a stale status once more.
    const sent = await send(confirmed, toConfirmed, toPaid, reserved, toReserved, created);
    sent.push(...(await send(created, reserved, toReserved, toPaid, toConfirmed, confirmed, toReserved)));
    await handledBy(system.kafka, 'search-server', sent);
    await handledBy(system.kafka, 'audit-server', sent);

    const result = await searchOrders(http, { q: word });
    expect(result.items).toEqual([
      {
        orderId,
        customerId,
        status: 'CONFIRMED',
        cancelReason: null,
        totalCents: 1_400,
        lines: [{ sku: product.sku, name: `${word} Kettle`, quantity: 2, unitPriceCents: 700 }],
        createdAt: created.occurredAt,
        updatedAt: confirmed.occurredAt,
      },
    ]);
    const rows = await system.query<{ event_id: string }>(
      'audit',
      `SELECT event_id FROM audit_event WHERE order_id = $1 ORDER BY event_id`,
      [orderId],
    );
    const published = [created, reserved, toReserved, toPaid, toConfirmed, confirmed].map((message) => message.eventId);
    expect(rows.map((row) => row.event_id)).toEqual(published.sort());
  });

  it('rebuilds the projection by replaying the topics, giving the same rows as the incremental one', async () => {
    const snapshot = async () => ({
      orders: await system.query(
        'search',
        `SELECT order_id, customer_id, status, status_version, cancel_reason, total_cents, lines, skus, sku_text,
                product_names, created_at, updated_at, search_text, search_document::text AS document
         FROM order_projection ORDER BY order_id`,
      ),
      products: await system.query('search', `SELECT * FROM product_name ORDER BY sku`),
    });
    const incremental = await snapshot();
    expect(incremental.orders.length).toBeGreaterThanOrEqual(4);
    // A row no event explains: a rebuild starts from empty, so it must be gone afterwards.
    await system.query(
      'search',
      `INSERT INTO order_projection (order_id, status, status_version, created_at, updated_at)
       VALUES ($1, 'PAID', 99, now(), now())`,
      [randomUUID()],
    );

    const environment = system.environment;
    const { stderr } = await promisify(execFile)(process.execPath, ['dist/apps/search/src/rebuild.js'], {
      cwd: repositoryRoot,
      timeout: 120_000,
      env: {
        ...process.env,
        ...system.kafkaEnvironment('search-rebuild'),
        DATABASE_URL: environment.databaseUrl,
        DATABASE_NAME: `${environment.databasePrefix}_search`,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
      },
    });

    expect(stderr).not.toMatch(/failed/);
    expect(await snapshot()).toEqual(incremental);
    expect(ids((await searchOrders(http, { q: runWord })).items)).toEqual(
      expected('aliceMug', 'aliceTeapots', 'bobBoth', 'declined'),
    );
  });
});
