import { Kafka, Producer } from 'kafkajs';
import { KafkaConnection } from './kafka-connection';
import { KafkaSettings } from './kafka-settings';

function fakeProducer(sendBatch: () => Promise<unknown>): Producer {
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
