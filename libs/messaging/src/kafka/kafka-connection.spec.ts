import { Kafka, Message, Producer, ProducerBatch, ProducerConfig } from 'kafkajs';
import { KafkaConnection } from './kafka-connection';
import { KafkaSettings } from './kafka-settings';

function fakeProducer(sendBatch: (...args: unknown[]) => Promise<unknown>): Producer {
  return {
    connect: jest.fn().mockResolvedValue(undefined),
    disconnect: jest.fn().mockResolvedValue(undefined),
    sendBatch: jest.fn(sendBatch),
  } as unknown as Producer;
}

describe('KafkaConnection', () => {
  afterEach(() => jest.restoreAllMocks());

  it('replaces the idempotent producer after a failed send, so its sequence numbers start afresh', async () => {
    const broken = fakeProducer(() => Promise.reject(new Error('The broker received an out of order sequence number')));
    const fresh = fakeProducer(() => Promise.resolve([]));
    const created = jest.spyOn(Kafka.prototype, 'producer').mockReturnValueOnce(broken).mockReturnValueOnce(fresh);
    const connection = new KafkaConnection({
      brokers: ['127.0.0.1:1'],
      clientId: 'test',
      security: {},
    } as KafkaSettings);
    const batch = [{ topic: 'order.created', messages: [{ value: '{}' }] }];

    await expect(connection.sendBatch(batch)).rejects.toThrow('out of order sequence number');
    await connection.sendBatch(batch);

    expect(created).toHaveBeenCalledTimes(2);
    expect(broken.disconnect).toHaveBeenCalled();
    expect(fresh.sendBatch).toHaveBeenCalledTimes(1);
  });

  it('fails a send that kafkajs resolved without writing every partition, and replaces the producer', async () => {
    // As kafkajs does after a leader moved mid-send (send-coverage.ts): every message through the
    // partitioner, an answer for partition 1 only.
    const producers: Producer[] = [];
    const created = jest.spyOn(Kafka.prototype, 'producer').mockImplementation((config?: ProducerConfig) => {
      const choose = config!.createPartitioner!();
      const producer = fakeProducer(async (...args: unknown[]) => {
        const { topicMessages } = args[0] as Required<ProducerBatch>;
        for (const { topic, messages } of topicMessages)
          for (const message of messages) choose({ topic, partitionMetadata: [], message });
        return [{ topicName: 'order.confirmed', partition: 1, errorCode: 0 }];
      });
      producers.push(producer);
      return producer;
    });
    const connection = new KafkaConnection({
      brokers: ['127.0.0.1:1'],
      clientId: 'test',
      security: {},
    } as KafkaSettings);
    const messages: Message[] = [
      { key: 'a', value: '{}', partition: 0 },
      { key: 'b', value: '{}', partition: 1 },
    ];

    await expect(connection.sendBatch([{ topic: 'order.confirmed', messages }])).rejects.toThrow(
      'without writing to order.confirmed-0',
    );
    await connection.send('order.confirmed', [messages[1]]);

    expect(created).toHaveBeenCalledTimes(2);
    expect(producers[0].disconnect).toHaveBeenCalled();
  });

  it('keeps a producer that sends successfully', async () => {
    const healthy = fakeProducer(() => Promise.resolve([]));
    const created = jest.spyOn(Kafka.prototype, 'producer').mockReturnValue(healthy);
    const connection = new KafkaConnection({
      brokers: ['127.0.0.1:1'],
      clientId: 'test',
      security: {},
    } as KafkaSettings);

    await connection.sendBatch([{ topic: 'order.created', messages: [{ value: '{}' }] }]);
    await connection.sendBatch([{ topic: 'order.created', messages: [{ value: '{}' }] }]);

    expect(created).toHaveBeenCalledTimes(1);
  });
});
