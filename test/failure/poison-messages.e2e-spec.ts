import { randomUUID } from 'node:crypto';
import { KafkaHeaders } from '@nestjs/microservices';
import { MessageHeaders, OrderView, requestTopics, Topics } from '@orderflow/contracts';
import { listDeadLetters, replayDeadLetters } from '../../tools/dlq/dead-letters';
import { eventually } from '../support/eventually';
import { createCustomer, createProduct, envelope, orderReaching } from '../support/fixtures';
import { SystemUnderTest } from '../support/system-under-test';
import { consumedTopics } from './dead-letter-reader';
import { persistently } from './persistent-client';

interface Poison {
  kind: string;
  value: string | null;
  headers?: Record<string, string>;
  /** The `x-dlq-reason` expected for an event/command topic and for a request topic. */
  reason: { message: string; request: string };
}

function poisons(topic: string): Poison[] {
  const envelope = {
    eventId: randomUUID(),
    type: topic,
    occurredAt: new Date().toISOString(),
    correlationId: `poison-${randomUUID()}`,
    aggregateId: randomUUID(),
    aggregateVersion: 1,
  };
  return [
    { kind: 'malformed JSON', value: '{"eventId": "broken', reason: { message: 'MALFORMED', request: 'MALFORMED' } },
    { kind: 'not JSON at all', value: 'hello', reason: { message: 'MALFORMED', request: 'MALFORMED' } },
    {
      kind: 'valid JSON with wrong fields',
      value: JSON.stringify({ ...envelope, eventId: 'not-a-uuid', aggregateVersion: 'x', payload: { nope: true } }),
      reason: { message: 'INVALID', request: 'NO_REPLY_ADDRESS' },
    },
    {
      kind: 'an unknown event type',
      value: JSON.stringify({ ...envelope, type: 'no.such.type', payload: {} }),
      reason: { message: 'UNKNOWN_TYPE', request: 'NO_REPLY_ADDRESS' },
    },
    {
      kind: 'a foreign type header',
      value: JSON.stringify({ ...envelope, payload: {} }),
      headers: { [MessageHeaders.MessageType]: 'payments.charge.v9' },
      reason: { message: 'UNKNOWN_TYPE', request: 'NO_REPLY_ADDRESS' },
    },
    {
      kind: 'an oversized value',
      value: JSON.stringify({ ...envelope, payload: { padding: 'x'.repeat(700 * 1024) } }),
      reason: { message: 'TOO_LARGE', request: 'TOO_LARGE' },
    },
    { kind: 'a tombstone', value: null, reason: { message: 'NO_VALUE', request: 'NO_VALUE' } },
    {
      kind: 'a request without reply headers',
      value: JSON.stringify({ orderId: randomUUID() }),
      headers: { [KafkaHeaders.CORRELATION_ID]: randomUUID() },
      reason: { message: 'INVALID', request: 'NO_REPLY_ADDRESS' },
    },
  ];
}

describe('poison messages', () => {
  const system = new SystemUnderTest();
  const http = system.http;
  const deadLetterTool = system.deadLetterTool();

  afterAll(() => system.close());

  it('dead-letters every kind of bad message on every consumed topic with its reason, while orders complete', async () => {
    const topics = await consumedTopics(system.kafka);
    expect(topics).toEqual(
      expect.arrayContaining([Topics.InventoryReserve, Topics.PaymentCharged, Topics.OrdersCreate]),
    );
    const customer = await createCustomer(http, 100_000);
    const product = await createProduct(http, { stock: 100, priceCents: 100 });
    const producer = await system.producer();

    const expected: { topic: string; key: string; kind: string; reason: string }[] = [];
    const orders = [];
    for (const topic of topics) {
      const isRequest = (requestTopics as readonly string[]).includes(topic);
      const messages = poisons(topic).map((poison) => {
        const key = `poison-${randomUUID()}`;
        expected.push({
          topic,
          key,
          kind: poison.kind,
          reason: isRequest ? poison.reason.request : poison.reason.message,
        });
        return { key, value: poison.value, headers: poison.headers };
      });
      await producer.send({ topic, messages });
      // A busy system may answer 504 (unknown outcome): retry with the same key, as a client should.
      orders.push(
        persistently<{ id: string }>(
          `${system.environment.gatewayUrl}/orders`,
          {
            method: 'POST',
            body: { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] },
            headers: { 'Idempotency-Key': randomUUID() },
            credentials: () => system.tokens.client('storefront'),
          },
          (status) => status === 202,
        ).then((response) => response.body),
      );
    }

    const accepted = await Promise.all(orders);
    const completed = await Promise.all(accepted.map(({ id }) => orderReaching(http, id, ['CONFIRMED'])));
    expect(completed).toHaveLength(topics.length);

    await eventually(
      async () => {
        const missing: string[] = [];
        for (const topic of topics) {
          const letters = await listDeadLetters(deadLetterTool, topic);
          for (const wanted of expected.filter((entry) => entry.topic === topic)) {
            const found = letters.filter((letter) => letter.key === wanted.key);
            if (found.length === 0 || found.some((letter) => letter.reason !== wanted.reason)) {
              missing.push(
                `${topic} ${wanted.kind}: want ${wanted.reason}, got ${found.map((l) => l.reason).join(',') || 'nothing'}`,
              );
            } else {
              const [letter] = found;
              expect(letter.headers['x-dlq-original-topic']).toBe(topic);
              expect(letter.headers['x-dlq-original-offset']).toMatch(/^\d+$/);
              expect(letter.headers['x-dlq-consumer-group']).toBeTruthy();
              expect(letter.error).toBeTruthy();
            }
          }
        }
        expect(missing).toEqual([]);
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  });

  it('shows the X-Request-Id a client sent as the order correlation id, on every message it caused', async () => {
    const customer = await createCustomer(http, 10_000);
    const product = await createProduct(http, { stock: 5, priceCents: 100 });
    const requestId = `trace-${randomUUID()}`;
    const response = await http.post<{ id: string }>(
      '/orders',
      { customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] },
      { 'X-Request-Id': requestId },
    );
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const order: OrderView = await orderReaching(http, response.body.id, ['CONFIRMED']);
    expect(order.correlationId).toBe(requestId);
    for (const app of ['orders', 'inventory', 'payments'] as const) {
      const rows = await system.query<{ headers: Record<string, string>; payload: string }>(
        app,
        'SELECT headers, payload FROM outbox_message WHERE message_key = $1',
        [order.id],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.headers[MessageHeaders.CorrelationId]).toBe(requestId);
        expect((JSON.parse(row.payload) as { correlationId: string }).correlationId).toBe(requestId);
      }
    }
  });

  it('replays a dead letter onto its topic, and a second replay has no second effect', async () => {
    const customer = await createCustomer(http, 1_000);
    const orderId = randomUUID();
    const command = envelope(Topics.PaymentsCharge, orderId, 2, { orderId, customerId: customer.id, amountCents: 250 });
    const producer = await system.producer();
    await producer.send({
      topic: `${Topics.PaymentsCharge}.dlq`,
      messages: [
        {
          key: orderId,
          value: JSON.stringify(command),
          headers: {
            [MessageHeaders.MessageId]: command.eventId,
            'x-dlq-reason': 'FAILED',
            'x-dlq-error': 'Error: database unavailable',
            'x-dlq-original-topic': Topics.PaymentsCharge,
          },
        },
      ],
    });

    const listed = await listDeadLetters(deadLetterTool, Topics.PaymentsCharge);
    expect(listed.find((letter) => letter.eventId === command.eventId)).toMatchObject({ reason: 'FAILED' });
    const first = await replayDeadLetters(deadLetterTool, Topics.PaymentsCharge, command.eventId);
    expect(first.replayed).toHaveLength(1);
    expect(first.replayed[0].originalTopic).toBe(Topics.PaymentsCharge);
    await eventually(async () => {
      const payments = await system.query('payments', 'SELECT amount_cents FROM payment WHERE order_id = $1', [
        orderId,
      ]);
      expect(payments).toEqual([{ amount_cents: '250' }]);
    });

    await replayDeadLetters(deadLetterTool, Topics.PaymentsCharge, command.eventId);
    // Same key, so the same partition, after the replay: once it is handled, so was the replay.
    const sentinelOrderId = randomUUID();
    const sentinel = {
      ...command,
      eventId: randomUUID(),
      aggregateId: sentinelOrderId,
      payload: { orderId: sentinelOrderId, customerId: customer.id, amountCents: 1 },
    };
    await producer.send({
      topic: Topics.PaymentsCharge,
      messages: [{ key: orderId, value: JSON.stringify(sentinel) }],
    });
    await eventually(async () => {
      const sentinelPayments = await system.query('payments', 'SELECT 1 FROM payment WHERE order_id = $1', [
        sentinelOrderId,
      ]);
      expect(sentinelPayments).toHaveLength(1);
    });
    const payments = await system.query('payments', 'SELECT amount_cents FROM payment WHERE order_id = $1', [orderId]);
    expect(payments).toEqual([{ amount_cents: '250' }]);
    const balance = await http.get<{ balanceCents: number }>(`/customers/${customer.id}`);
    expect(balance.body.balanceCents).toBe(749);
  });
});
