import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvelopeClass } from '../envelope';
import { messageClasses } from '../messages';
import { EventTopic, EventTopics } from '../topics';

/** The event topics the Kafka Streams processor (streams/order-analytics) reads; each needs a sample. */
const streamInputs: readonly EventTopic[] = [
  EventTopics.OrderCreated,
  EventTopics.StockReserved,
  EventTopics.OrderConfirmed,
  EventTopics.OrderCancelled,
];

const samples = readdirSync(__dirname)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, message: JSON.parse(readFileSync(join(__dirname, file), 'utf8')) as { type: string } }));

describe('sample messages shared with the stream processor', () => {
  it('has a sample for every event topic the stream processor reads', () => {
    const types = new Set(samples.map(({ message }) => message.type));
    expect(streamInputs.filter((topic) => !types.has(topic))).toEqual([]);
  });

  it.each(samples.map(({ file, message }) => [file, message]))('%s is a valid message of its type', (file, message) => {
    const [topic, version] = file.split(/\.v(\d+)\.json$/);
    expect(message.type).toBe(topic);
    expect(version).toBe('1');
    expect((message as { schemaVersion?: number }).schemaVersion ?? 1).toBe(Number(version));
    const messageClass: EnvelopeClass<object> = messageClasses[topic as keyof typeof messageClasses];
    expect(messageClass).toBeDefined();
    const errors = validateSync(plainToInstance(messageClass, message) as object, {
      whitelist: true,
      forbidNonWhitelisted: true,
    });
    expect(errors).toEqual([]);
  });
});
