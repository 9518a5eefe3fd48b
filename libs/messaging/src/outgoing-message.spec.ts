import { MessageEnvelope, Topics } from '@orderflow/contracts';
import { answerCommand } from './outgoing-message';

const orderId = '5b0f6a4e-0a51-4c4f-9d43-6d7d2f2b8c11';

const chargeCommand: MessageEnvelope = {
  eventId: '0e6f3c1a-6a3b-4d8e-8d53-3f1e4a9b2c70',
  type: Topics.PaymentsCharge,
  occurredAt: '2025-11-26T10:00:00.000Z',
  correlationId: 'checkout-42',
  causationId: 'a-cause-before-the-command',
  aggregateId: orderId,
  aggregateVersion: 3,
  schemaVersion: 1,
  payload: { orderId, customerId: 'alice', amountCents: 1250 },
};

describe('answerCommand', () => {
  const answer = answerCommand(chargeCommand, {
    topic: Topics.PaymentDeclined,
    payload: { orderId, customerId: 'alice', reason: 'INSUFFICIENT_FUNDS' },
  });

  it('publishes the outcome on its topic, keyed by the order', () => {
    expect(answer.topic).toBe(Topics.PaymentDeclined);
    expect(answer.key).toBe(orderId);
    expect(answer.envelope).toMatchObject({
      type: Topics.PaymentDeclined,
      aggregateId: orderId,
      payload: { orderId, customerId: 'alice', reason: 'INSUFFICIENT_FUNDS' },
    });
  });

  it('describes the order at the version of the command it answers', () => {
    expect(answer.envelope.aggregateVersion).toBe(3);
  });

  it("carries the command's correlation id and names the command as its cause", () => {
    expect(answer.envelope.correlationId).toBe('checkout-42');
    expect(answer.envelope.causationId).toBe(chargeCommand.eventId);
    expect(answer.envelope.eventId).not.toBe(chargeCommand.eventId);
  });

  it('takes only outcomes whose payload names the order', () => {
    const answerWithoutOrder = () =>
      answerCommand(chargeCommand, {
        topic: Topics.ProductRegistered,
        // @ts-expect-error a product registration names no order to key the answer by
        payload: { sku: 'SKU-1', name: 'Mug', priceCents: 900 },
      });
    expect(answerWithoutOrder).toBeInstanceOf(Function);
  });
});
