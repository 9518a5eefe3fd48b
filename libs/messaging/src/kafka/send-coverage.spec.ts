import { createRequire } from 'node:module';
import { Message, Partitioners, RecordMetadata } from 'kafkajs';
import { IncompleteSendError, SendCoverage } from './send-coverage';

const fromKafkajs = createRequire(__filename);

interface TopicData {
  topic: string;
  partitions: { partition: number; messages: Message[] }[];
}
type SendMessages = (request: {
  acks: number;
  topicMessages: { topic: string; messages: Message[] }[];
}) => Promise<RecordMetadata[]>;

const TOPIC = 'order.confirmed';
const silentLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * kafkajs's own send path (its internal sendMessages, as the producer builds it) against two brokers:
 * partition 0 is led by broker 1, partition 1 by broker 2. Broker 1 dies during the first attempt and
 * partition 0 moves to broker 2 (a SIGKILLed leader), which had answered for partition 1.
 */
function sendPathWithFailover(coverage: SendCoverage) {
  const leaders: Record<number, number> = { 0: 1, 1: 2 };
  const requests: { nodeId: number; partitions: number[] }[] = [];
  const { createErrorFromCode } = fromKafkajs('kafkajs/src/protocol/error') as {
    createErrorFromCode: (code: number) => Error;
  };
  const broker = (nodeId: number) => ({
    nodeId,
    produce: ({ topicData }: { topicData: TopicData[] }) => {
      requests.push({ nodeId, partitions: topicData.flatMap((topic) => topic.partitions.map((p) => p.partition)) });
      if (nodeId === 1) {
        leaders[0] = 2;
        return Promise.reject(createErrorFromCode(6)); // NOT_LEADER_OR_FOLLOWER: retriable
      }
      return Promise.resolve({
        topics: topicData.map(({ topic, partitions }) => ({
          topicName: topic,
          partitions: partitions.map(({ partition }) => ({ partition, errorCode: 0, baseOffset: '0' })),
        })),
      });
    },
  });
  const brokers = new Map([1, 2].map((nodeId) => [nodeId, broker(nodeId)]));
  const cluster = {
    addMultipleTargetTopics: () => Promise.resolve(),
    refreshMetadataIfNecessary: () => Promise.resolve(),
    refreshMetadata: () => Promise.resolve(),
    isConnected: () => true,
    findTopicPartitionMetadata: () =>
      [0, 1].map((partitionId) => ({ partitionId, leader: leaders[partitionId], replicas: [1, 2], isr: [1, 2] })),
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const byLeader: Record<number, number[]> = {};
      for (const partition of partitions.map(Number)) (byLeader[leaders[partition]] ??= []).push(partition);
      return byLeader;
    },
    findBroker: ({ nodeId }: { nodeId: number | string }) => Promise.resolve(brokers.get(Number(nodeId))),
  };
  const eosManager = {
    acquireBrokerLock: () => Promise.resolve(),
    releaseBrokerLock: () => Promise.resolve(),
    isTransactional: () => false,
    getSequence: () => 0,
    updateSequence: () => undefined,
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
  };
  const createRetry = fromKafkajs('kafkajs/src/retry') as (options: object) => unknown;
  const createSendMessages = fromKafkajs('kafkajs/src/producer/sendMessages') as (options: object) => SendMessages;
  const sendMessages = createSendMessages({
    logger: silentLogger,
    cluster,
    partitioner: coverage.recording(Partitioners.DefaultPartitioner)(),
    eosManager,
    retrier: createRetry({ retries: 5, initialRetryTime: 1, maxRetryTime: 10 }),
  });
  return { sendMessages, requests };
}

const confirmed = (partition: number): Message => ({ key: `order-${partition}`, value: '{}', partition });

describe('SendCoverage', () => {
  it('catches the send kafkajs resolves without sending a partition whose leader moved to a broker that had answered', async () => {
    const coverage = new SendCoverage();
    const { sendMessages, requests } = sendPathWithFailover(coverage);
    const topicMessages = [{ topic: TOPIC, messages: [confirmed(0), confirmed(1)] }];

    const written = await sendMessages({ acks: -1, topicMessages });

    // kafkajs 2.2.4 (tulios/kafkajs#1303): resolved, but partition 0 went only to the dead broker.
    expect(written.map(({ partition }) => partition)).toEqual([1]);
    expect(requests).toEqual(
      expect.arrayContaining([
        { nodeId: 1, partitions: [0] },
        { nodeId: 2, partitions: [1] },
      ]),
    );
    expect(requests).toHaveLength(2);
    expect(() => coverage.assertWritten(topicMessages, written)).toThrow(IncompleteSendError);
    expect(() => coverage.assertWritten(topicMessages, written)).toThrow(`${TOPIC}-0`);
  });

  it('passes a send answered for every partition its messages went to', () => {
    const coverage = new SendCoverage();
    const choose = coverage.recording(Partitioners.DefaultPartitioner)();
    const messages = [confirmed(0), confirmed(1), confirmed(1)];
    for (const message of messages) choose({ topic: TOPIC, partitionMetadata: [], message });
    const answer = (partition: number) => ({ topicName: TOPIC, partition, errorCode: 0 });

    expect(() => coverage.assertWritten([{ topic: TOPIC, messages }], [answer(0), answer(1)])).not.toThrow();
    expect(() => coverage.assertWritten([{ topic: TOPIC, messages }], [answer(1)])).toThrow(`${TOPIC}-0`);
  });
});
