import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { BenchTopics } from '../bench-topics';
import { benchKafkaConfig } from './bench-kafka-settings';
import { argument, report } from './peer-protocol';

/** The hand-written baseline: a kafkajs consumer that answers each request on the reply topic and partition it names. */
async function main(): Promise<void> {
  const kafka = new Kafka({
    ...benchKafkaConfig('bench-raw-responder', argument('brokers')),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: argument('group'), maxWaitTimeInMs: 50 });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: BenchTopics.RawRequest, fromBeginning: false });
  consumer.on(consumer.events.GROUP_JOIN, () => report({ ready: true }));
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachMessage: async ({ message }) => {
      const headers = message.headers ?? {};
      await producer.send({
        topic: String(headers['reply-topic']),
        messages: [
          {
            partition: Number(String(headers['reply-partition'])),
            value: message.value,
            headers: { 'correlation-id': String(headers['correlation-id']) },
          },
        ],
      });
    },
  });
}

void main();
