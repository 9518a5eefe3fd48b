import { KafkaParser } from '@nestjs/microservices';
import { inspectMessage, MAX_MESSAGE_BYTES } from '../handling/message-inspection';
import { MeasuringKafkaParser, rawValueBytes } from './measuring-kafka-parser';

describe('MeasuringKafkaParser', () => {
  const nest = new KafkaParser();
  const parser = new MeasuringKafkaParser();
  const values: Array<[string, Buffer | null]> = [
    ['a JSON object', Buffer.from('{"type":"order.created","payload":{"n":1}}')],
    ['a JSON array', Buffer.from('[1,2,3]')],
    ['broken JSON', Buffer.from('{"type":')],
    ['plain text', Buffer.from('hello')],
    ['an empty value', Buffer.alloc(0)],
    ['a schema-registry payload (leading zero byte)', Buffer.from([0, 1, 2, 3])],
    ['no value (a tombstone)', null],
  ];

  it.each(values)('parses %s as Nest does', (_name, value) => {
    const message = { key: Buffer.from('k'), value, headers: { 'x-a': Buffer.from('b') }, offset: '1' };
    expect(parser.parse(message)).toEqual(nest.parse(message));
  });

  it('records the size of the value on the wire', () => {
    const value = Buffer.from(JSON.stringify({ note: 'ü'.repeat(10) }));
    const parsed = parser.parse<object>({ value, headers: {} });
    expect(rawValueBytes(parsed)).toBe(value.length);
  });

  it('knows no size for a message it did not parse', () => {
    expect(rawValueBytes({ value: {} })).toBeUndefined();
  });

  it('lets the size check refuse an oversized value by its size on the wire', () => {
    const big = Buffer.from(JSON.stringify({ type: 'order.created', note: 'x'.repeat(MAX_MESSAGE_BYTES) }));
    const spy = jest.spyOn(JSON, 'stringify');
    const problem = inspectMessage('order.created', parser.parse({ value: big, headers: {} }));
    expect(problem?.reason).toBe('TOO_LARGE');
    expect(problem?.error).toContain(`${big.length} bytes`);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
