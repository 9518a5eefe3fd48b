import { EventTopics } from '@orderflow/contracts';
import { InvalidMessageError } from '@orderflow/messaging';
import { plainToInstance } from 'class-transformer';
import { AnyEventMessage, checkContract } from './recorded-event';

function orderCreated(payload: Record<string, unknown>): AnyEventMessage {
  return plainToInstance(AnyEventMessage, {
    eventId: '6f1c1c59-2b8e-4a59-9d5e-0a4f4e1f0c01',
    type: EventTopics.OrderCreated,
    occurredAt: '2026-01-15T10:00:00.000Z',
    correlationId: 'req-7d1f',
    aggregateId: '0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e11',
    aggregateVersion: 1,
    payload,
  });
}

const payload = {
  orderId: '0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e11',
  customerId: 'alice',
  items: [{ sku: 'BOOK-1', quantity: 2 }],
};

describe('checkContract', () => {
  it('passes an event its contract accepts, leaving its payload as published', () => {
    const message = orderCreated({ ...payload, addedByANewerProducer: true });
    checkContract(message, EventTopics.OrderCreated);
    expect(message.payload).toEqual({ ...payload, addedByANewerProducer: true });
  });

  it("names the payload's problems as class-validator does", () => {
    const message = orderCreated({ ...payload, items: [{ sku: 'BOOK-1', quantity: 0 }] });
    expect(() => checkContract(message, EventTopics.OrderCreated)).toThrow(InvalidMessageError);
    expect(() => checkContract(message, EventTopics.OrderCreated)).toThrow(
      'invalid message: payload.items.0.quantity: quantity must not be less than 1',
    );
  });
});
