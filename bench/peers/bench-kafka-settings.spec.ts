import { kafkaEnv, parseEnv } from '@orderflow/config';
import { kafkaServerTransport } from '@orderflow/messaging';
import { Partitioners } from 'kafkajs';
import { z } from 'zod';
import {
  benchKafkaSettings,
  describeKafkaOptions,
  orderflowClientOptions,
  orderflowServerOptions,
} from './bench-kafka-settings';

describe("the benchmark peers' Kafka settings", () => {
  const settings = benchKafkaSettings('127.0.0.1:9092', 'bench-group');

  it("are the apps' defaults, with the peer's brokers and group", () => {
    const defaults = parseEnv(z.object(kafkaEnv), {});
    expect(settings).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      groupId: 'bench-group',
      partitionsConsumedConcurrently: defaults.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
    });
  });

  it('reads the options a server transport was built with, for the raw responder to run the same', () => {
    const server = orderflowServerOptions(kafkaServerTransport(settings, { fromBeginning: false }));
    const client = orderflowClientOptions(settings);
    expect(server.consumer?.maxWaitTimeInMs).toEqual(expect.any(Number));
    expect(server.consumer?.maxWaitTimeInMs).toBe(client.consumer?.maxWaitTimeInMs);
    expect(server.run?.partitionsConsumedConcurrently).toBe(settings.partitionsConsumedConcurrently);
    expect(server.subscribe?.fromBeginning).toBe(false);
  });

  it("describes both sides in the same words, naming kafkajs's defaults where nothing is set", () => {
    const described = describeKafkaOptions({
      consumer: { groupId: 'g', maxWaitTimeInMs: 1000 },
      producer: { createPartitioner: Partitioners.DefaultPartitioner },
      run: { partitionsConsumedConcurrently: 8 },
    });
    expect(described).toMatchObject({
      'fetch wait': '1000 ms',
      'session timeout / heartbeat': 'kafkajs default / kafkajs default',
      'partitions consumed concurrently': '8',
      acks: 'kafkajs default',
      idempotent: 'kafkajs default',
      partitioner: 'DefaultPartitioner',
      retry: 'kafkajs default',
      'request-queue timer fix': 'applied',
    });
  });
});
