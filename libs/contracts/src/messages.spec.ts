import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { messageClasses, ReserveStockMessage } from './messages';
import { commandTopics, eventTopics } from './topics';

function envelope(payload: unknown) {
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

describe('message classes', () => {
  it('has a class for every command and event topic', () => {
    expect(Object.keys(messageClasses).sort()).toEqual([...commandTopics, ...eventTopics].sort());
  });

  it('accepts a well-formed reserve command', () => {
    const message = plainToInstance(
      ReserveStockMessage,
      envelope({ orderId: randomUUID(), items: [{ sku: 'SKU-1', quantity: 2 }] }),
    );
    expect(validateSync(message)).toEqual([]);
  });

  it('rejects a payload with a bad nested item', () => {
    const message = plainToInstance(
      ReserveStockMessage,
      envelope({ orderId: randomUUID(), items: [{ sku: 'x y', quantity: 0 }] }),
    );
    const errors = validateSync(message);
    expect(errors.map((error) => error.property)).toEqual(['payload']);
  });

  it('rejects an envelope without its payload', () => {
    const message = plainToInstance(ReserveStockMessage, envelope(undefined));
    expect(validateSync(message).map((error) => error.property)).toContain('payload');
  });
});
