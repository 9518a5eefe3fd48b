import { commitEndedBatches, kafkaServerTransport } from '@orderflow/messaging';
import { BenchTopics } from '../bench-topics';
import { benchKafkaSettings, describeKafkaOptions, orderflowServerOptions, rawKafka } from './bench-kafka-settings';
import { argument, report } from './peer-protocol';

/**
 * The hand-written baseline: a kafkajs consumer that answers each request on the reply topic and
 * partition it names, on the settings of the apps' server transport (consumer, producer, concurrency,
 * acks, the kafkajs fix), so the two sides differ only in what Nest and Orderflow add.
 */
async function main(): Promise<void> {
  const options = orderflowServerOptions(
    kafkaServerTransport(benchKafkaSettings(argument('brokers'), argument('group')), { fromBeginning: false }),
  );
  const kafka = rawKafka(options);
  const producer = kafka.producer(options.producer);
  const consumer = kafka.consumer({ ...options.consumer, groupId: argument('group') });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: BenchTopics.RawRequest, fromBeginning: false });
  consumer.on(consumer.events.GROUP_JOIN, () => report({ ready: true, kafka: describeKafkaOptions(options) }));
  commitEndedBatches(consumer, console);
  await consumer.run({
    ...options.run,
    eachMessage: async ({ message }) => {
      const headers = message.headers ?? {};
      await producer.send({
        ...options.send,
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
