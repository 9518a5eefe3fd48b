import { randomUUID } from 'node:crypto';
import { ReserveStockMessage } from '@orderflow/contracts';
import { InvalidMessageError } from './message-errors';
import { MessageBatchValidationPipe } from './message-batch-validation.pipe';
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

describe('MessageBatchValidationPipe', () => {
  const batchPipe = new MessageBatchValidationPipe(ReserveStockMessage);
  const valid = () => reserve({ orderId: randomUUID(), items: [{ sku: 'A-1', quantity: 1 }] });

  it('turns every value of a batch into an instance of the message class, in order', async () => {
    const [first, second] = [valid(), valid()];
    const messages = (await batchPipe.transform([first, second])) as ReserveStockMessage[];
    expect(messages.map((message) => message.eventId)).toEqual([first.eventId, second.eventId]);
    expect(messages[1]).toBeInstanceOf(ReserveStockMessage);
  });

  it('fails the batch on one invalid message, naming its problem', async () => {
    const attempt = batchPipe.transform([valid(), reserve({ orderId: 'nope', items: [] }), valid()]);
    await expect(attempt).rejects.toThrow(InvalidMessageError);
    await expect(attempt).rejects.toMatchObject({
      problems: expect.arrayContaining([expect.stringMatching(/^payload\.orderId: /)]),
    });
  });

  it('refuses a payload that is not the array of a batch', async () => {
    await expect(batchPipe.transform(valid())).rejects.toMatchObject({
      problems: ['value: expected the messages of a batch'],
    });
  });
});
