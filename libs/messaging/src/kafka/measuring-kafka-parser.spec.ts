import { KafkaParser } from '@nestjs/microservices';
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
});
