import { randomUUID } from 'node:crypto';
import { NotificationView, OrderView, Page, Topics } from '@orderflow/contracts';
import { AppProcess } from '../tools/system/app-process';
import { freePort } from '../tools/system/free-port';
import { eventually } from './support/eventually';
import {
  balanceOf,
  createCustomer,
  createProduct,
  envelope,
  orderReaching,
  placeOrder,
  stockOf,
  uniqueSku,
} from './support/fixtures';
import { SystemUnderTest } from './support/system-under-test';

describe('the order saga', () => {
  const system = new SystemUnderTest();
  const http = system.http;

  afterAll(() => system.close());

  function statusHistory(order: OrderView): string[] {
    return order.history.map((change) => change.status);
  }

  it('confirms an order: balance debited, stock decremented, customer notified', async () => {
    const customer = await createCustomer(http, 10_000);
    const product = await createProduct(http, { stock: 5, priceCents: 250 });

    const { id } = await placeOrder(http, { customerId: customer.id, items: [{ sku: product.sku, quantity: 2 }] });
    const order = await orderReaching(http, id);

    expect(order.status).toBe('CONFIRMED');
    expect(order.totalCents).toBe(500);
    expect(statusHistory(order)).toEqual(['PENDING', 'STOCK_RESERVED', 'PAID', 'CONFIRMED']);
    expect(await balanceOf(http, customer.id)).toBe(9_500);
    expect(await stockOf(http, product.sku)).toBe(3);
    await eventually(async () => {
      const notifications = await http.get<Page<NotificationView>>(`/customers/${customer.id}/notifications`);
      expect(notifications.body.items).toEqual([
        expect.objectContaining({ orderId: id, kind: 'ORDER_CONFIRMED', customerId: customer.id }),
      ]);
    });
  });

  it('answers a waitFor read once the order is terminal, without the client polling', async () => {
    const customer = await createCustomer(http, 10_000);
    const product = await createProduct(http, { stock: 5, priceCents: 100 });
    const { id } = await placeOrder(http, { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] });

    const response = await http.get<OrderView>(`/orders/${id}?waitFor=CONFIRMED,CANCELLED&timeoutMs=15000`);

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('CONFIRMED');
  });

  it('cancels an order that is out of stock and charges nothing', async () => {
    const customer = await createCustomer(http, 10_000);
    const product = await createProduct(http, { stock: 1, priceCents: 100 });

    const { id } = await placeOrder(http, { customerId: customer.id, items: [{ sku: product.sku, quantity: 2 }] });
    const order = await orderReaching(http, id);

    expect(order).toMatchObject({ status: 'CANCELLED', cancelReason: 'OUT_OF_STOCK' });
    expect(await stockOf(http, product.sku)).toBe(1);
    expect(await balanceOf(http, customer.id)).toBe(10_000);
    const charges = await system.query('payments', 'SELECT 1 FROM payment WHERE order_id = $1', [id]);
    expect(charges).toEqual([]);
  });

  it('releases the reserved stock when the payment is declined', async () => {
    const customer = await createCustomer(http, 100);
    const product = await createProduct(http, { stock: 4, priceCents: 250 });

    const { id } = await placeOrder(http, { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] });
    const order = await orderReaching(http, id);

    expect(order).toMatchObject({ status: 'CANCELLED', cancelReason: 'PAYMENT_DECLINED' });
    expect(statusHistory(order)).toEqual(['PENDING', 'STOCK_RESERVED', 'CANCELLING', 'CANCELLED']);
    expect(await stockOf(http, product.sku)).toBe(4);
    expect(await balanceOf(http, customer.id)).toBe(100);
  });

  it('refunds and restocks when the customer cancels after payment', async () => {
    const customer = await createCustomer(http, 1_000);
    const product = await createProduct(http, { stock: 3, priceCents: 300 });
    const { id } = await placeOrder(http, { customerId: customer.id, items: [{ sku: product.sku, quantity: 2 }] });
    await orderReaching(http, id, ['CONFIRMED']);
    expect(await balanceOf(http, customer.id)).toBe(400);

    const cancel = await http.post(`/orders/${id}/cancel`);
    expect(cancel.status).toBe(202);
    const order = await orderReaching(http, id, ['CANCELLED']);

    expect(order.cancelReason).toBe('CUSTOMER_CANCELLED');
    expect(await balanceOf(http, customer.id)).toBe(1_000);
    expect(await stockOf(http, product.sku)).toBe(3);
    expect((await http.post(`/orders/${id}/cancel`)).status).toBe(409);
    const refunds = await system.query<{ status: string; refunded_cents: string }>(
      'payments',
      'SELECT status, refunded_cents FROM payment WHERE order_id = $1',
      [id],
    );
    expect(refunds).toEqual([{ status: 'REFUNDED', refunded_cents: '600' }]);
  });

  it('creates one order and one charge for a POST retried with the same Idempotency-Key', async () => {
    const customer = await createCustomer(http, 1_000);
    const product = await createProduct(http, { stock: 10, priceCents: 100 });
    const body = { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] };
    const key = { 'Idempotency-Key': randomUUID() };

    const [first, second] = await Promise.all([placeOrder(http, body, key), placeOrder(http, body, key)]);
    const third = await placeOrder(http, body, key);

    expect(second.id).toBe(first.id);
    expect(third.id).toBe(first.id);
    await orderReaching(http, first.id, ['CONFIRMED']);
    const orders = await system.query('orders', 'SELECT id FROM customer_order WHERE customer_id = $1', [customer.id]);
    expect(orders).toHaveLength(1);
    expect(await balanceOf(http, customer.id)).toBe(900);
  });

  it('refuses an Idempotency-Key reused with another body with 422, and leaves the first order as it was', async () => {
    const customer = await createCustomer(http, 1_000);
    const product = await createProduct(http, { stock: 10, priceCents: 100 });
    const order = (quantity: number) => ({ customerId: customer.id, items: [{ sku: product.sku, quantity }] });
    const key = { 'Idempotency-Key': randomUUID() };

    const first = await placeOrder(http, order(1), key);
    const reused = await http.post('/orders', order(2), key);

    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Content',
      message: 'this Idempotency-Key was already used with a different request; send a new key for a new order',
    });
    // The first body again is still a retry of the first order.
    expect((await placeOrder(http, order(1), key)).id).toBe(first.id);
    const confirmed = await orderReaching(http, first.id, ['CONFIRMED']);
    expect(confirmed.lines).toEqual([{ sku: product.sku, quantity: 1, unitPriceCents: 100 }]);
    const orders = await system.query('orders', 'SELECT id FROM customer_order WHERE customer_id = $1', [customer.id]);
    expect(orders).toEqual([{ id: first.id }]);
    expect(await balanceOf(http, customer.id)).toBe(900);
  });

  it('answers two bodies sent at once with one Idempotency-Key with one order and one 422', async () => {
    const customer = await createCustomer(http, 1_000);
    const product = await createProduct(http, { stock: 10, priceCents: 100 });
    const key = { 'Idempotency-Key': randomUUID() };
    const quantities = [1, 3];

    // Whichever is stored first, the other waits for it (one partition per customer) and is refused.
    const answers = await Promise.all(
      quantities.map((quantity) =>
        http.post<{ id?: string }>(
          '/orders',
          { customerId: customer.id, items: [{ sku: product.sku, quantity }] },
          key,
        ),
      ),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 422]);
    const placed = answers.findIndex((answer) => answer.status === 202);
    const order = await orderReaching(http, answers[placed].body.id!, ['CONFIRMED']);
    expect(order.lines).toEqual([{ sku: product.sku, quantity: quantities[placed], unitPriceCents: 100 }]);
    const orders = await system.query('orders', 'SELECT id FROM customer_order WHERE customer_id = $1', [customer.id]);
    expect(orders).toHaveLength(1);
  });

  it('applies a command published twice with the same message id only once', async () => {
    const customer = await createCustomer(http, 1_000);
    const orderId = randomUUID();
    const command = envelope(Topics.PaymentsCharge, orderId, 2, { orderId, customerId: customer.id, amountCents: 300 });
    const producer = await system.producer();
    const record = { key: orderId, value: JSON.stringify(command) };
    await producer.send({ topic: Topics.PaymentsCharge, messages: [record] });
    await producer.send({ topic: Topics.PaymentsCharge, messages: [record] });
    // A new message id for the same order is a retry of the saga: still one charge.
    await producer.send({
      topic: Topics.PaymentsCharge,
      messages: [{ key: orderId, value: JSON.stringify({ ...command, eventId: randomUUID() }) }],
    });

    await eventually(async () => {
      const handled = await system.query<{ count: string }>(
        'payments',
        `SELECT count(*) FROM inbox_message WHERE message_id = ANY($1)`,
        [[command.eventId]],
      );
      expect(handled).toEqual([{ count: '1' }]);
      const payments = await system.query('payments', 'SELECT amount_cents FROM payment WHERE order_id = $1', [
        orderId,
      ]);
      expect(payments).toEqual([{ amount_cents: '300' }]);
    });
    await eventually(async () => {
      const replies = await system.query<{ count: string }>(
        'payments',
        `SELECT count(*) FROM outbox_message WHERE message_key = $1 AND published_at IS NOT NULL`,
        [orderId],
      );
      expect(Number(replies[0].count)).toBe(2); // an answer to each distinct message id, the same outcome
    });
    expect(await balanceOf(http, customer.id)).toBe(700);
  });

  it('never oversells: 40 concurrent orders for 10 units confirm exactly 10', async () => {
    const customer = await createCustomer(http, 1_000_000);
    const product = await createProduct(http, { stock: 10, priceCents: 100 });

    const accepted = await Promise.all(
      Array.from({ length: 40 }, () =>
        placeOrder(http, { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] }),
      ),
    );
    const orders = await Promise.all(accepted.map(({ id }) => orderReaching(http, id)));

    const confirmed = orders.filter((order) => order.status === 'CONFIRMED');
    const cancelled = orders.filter((order) => order.status === 'CANCELLED');
    expect(confirmed).toHaveLength(10);
    expect(cancelled).toHaveLength(30);
    expect(cancelled.every((order) => order.cancelReason === 'OUT_OF_STOCK')).toBe(true);
    expect(await stockOf(http, product.sku)).toBe(0);
    expect(await balanceOf(http, customer.id)).toBe(1_000_000 - 10 * 100);
  });

  it('answers each caller correctly with two gateway instances running', async () => {
    const second = await AppProcess.start({
      app: 'gateway',
      instance: 'gateway-2',
      port: await freePort(),
      env: {
        ...system.kafkaEnvironment('gateway'),
        OIDC_ISSUER_URL: system.environment.issuerUrl,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
      },
      logDir: system.environment.logDir,
    });
    try {
      await second.waitUntilReady();
      const gateways = [http, http.at(second.url)];
      const customer = await createCustomer(gateways[1], 100_000);
      const product = await createProduct(gateways[1], { stock: 100, priceCents: 10 });

      const results = await Promise.all(
        Array.from({ length: 20 }, async (_, index) => {
          const gateway = gateways[index % 2];
          const { id } = await placeOrder(gateway, {
            customerId: customer.id,
            items: [{ sku: product.sku, quantity: 1 }],
          });
          const read = await gateway.get<OrderView>(`/orders/${id}?waitFor=CONFIRMED,CANCELLED&timeoutMs=20000`);
          return { id, read };
        }),
      );

      for (const { id, read } of results) {
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ id, status: 'CONFIRMED' });
      }
    } finally {
      await second.stop();
    }
  });

  it('rejects invalid bodies with 400 naming each bad field, and writes nothing', async () => {
    const customer = await createCustomer(http, 1_000);
    const before = await system.query<{ count: string }>('orders', 'SELECT count(*) FROM customer_order');
    const admin = system.kafka.admin();
    await admin.connect();
    const offsets = async () =>
      (await admin.fetchTopicOffsets(Topics.OrdersCreate)).reduce((sum, partition) => sum + Number(partition.high), 0);
    const offsetsBefore = await offsets();

    const cases: { body: unknown; fields: string[] }[] = [
      { body: { items: [{ sku: uniqueSku(), quantity: 1 }] }, fields: ['customerId'] },
      { body: { customerId: customer.id, items: [] }, fields: ['items'] },
      {
        body: { customerId: customer.id, items: [{ sku: 'bad sku', quantity: 0 }] },
        fields: ['items.0.sku', 'items.0.quantity'],
      },
      { body: { customerId: customer.id, items: [{ sku: uniqueSku(), quantity: 1.5 }] }, fields: ['items.0.quantity'] },
      { body: '{"customerId": ', fields: [] },
    ];
    try {
      for (const { body, fields } of cases) {
        const response = await http.post<{ message: string[] | string }>('/orders', body);
        expect(response.status).toBe(400);
        const text = JSON.stringify(response.body);
        expect(text).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
        for (const field of fields) expect(text).toContain(field);
      }
      expect(await system.query('orders', 'SELECT count(*) FROM customer_order')).toEqual(before);
      expect(await offsets()).toBe(offsetsBefore);
    } finally {
      await admin.disconnect();
    }
  });
});
