import { randomUUID } from 'node:crypto';
import { ReserveStockMessage } from '@orderflow/contracts/messages';
import { InvalidMessageError } from './message-errors';
import { MessageValidationPipe } from './message-validation.pipe';

const pipe = new MessageValidationPipe();
const asPayload = { type: 'body', metatype: ReserveStockMessage } as const;

function reserve(payload: unknown) {
  return {
    eventId: randomUUID(),
    type: 'inventory.reserve',
    occurredAt: new Date().toISOString(),
    correlationId: 'req-1',
    aggregateId: 'order-1',
    aggregateVersion: 1,
    payload,
  };
}

describe('MessageValidationPipe', () => {
  it('turns a valid message into an instance of the handler class', async () => {
    const message = await pipe.transform(
      reserve({ orderId: randomUUID(), items: [{ sku: 'A-1', quantity: 1 }] }),
      asPayload,
    );
    expect(message).toBeInstanceOf(ReserveStockMessage);
  });

  it('names each bad field of a nested payload', async () => {
    const attempt = pipe.transform(reserve({ orderId: 'nope', items: [{ sku: 'A-1', quantity: 0 }] }), asPayload);
    await expect(attempt).rejects.toThrow(InvalidMessageError);
    await expect(attempt).rejects.toMatchObject({
      problems: expect.arrayContaining([
        expect.stringMatching(/^payload\.orderId: /),
        expect.stringMatching(/^payload\.items\.0\.quantity: /),
      ]),
    });
  });

  it('rejects a value that is not a JSON object (Nest hands invalid JSON over as a string)', async () => {
    await expect(pipe.transform('{"eventId": ', asPayload)).rejects.toMatchObject({
      problems: ['value: must be a JSON object'],
    });
  });

  it('drops fields the class does not declare', async () => {
    const value = { ...reserve({ orderId: randomUUID(), items: [{ sku: 'A-1', quantity: 1 }] }), injected: true };
    const message = (await pipe.transform(value, asPayload)) as Record<string, unknown>;
    expect(message.injected).toBeUndefined();
  });
});
