import { randomUUID } from 'node:crypto';
import { ClientKafka } from '@nestjs/microservices';
import { commitEndedBatches, pollUntil } from '@orderflow/messaging';
import { firstValueFrom, timeout } from 'rxjs';
import { BenchTopics } from './bench-topics';
import {
  benchKafkaSettings,
  describeKafkaOptions,
  orderflowClientOptions,
  rawKafka,
  TransportOptions,
} from './peers/bench-kafka-settings';
import { PeerReport } from './peers/peer-protocol';
import { BenchEnvironment } from './support/bench-environment';
import { ensureBenchTopics } from './support/bench-topics-admin';
import { PeerProcess } from './support/peer-process';
import { LatencySummary, round, summarize } from './support/statistics';
import { Targets } from './targets';

/** How long a requester may wait for its reply partition before the benchmark gives up. */
const ASSIGNMENT_TIMEOUT_MS = 30_000;

type Requester = (payload: { id: string; padding: string }) => Promise<unknown>;

interface ModeResult extends LatencySummary {
  requestsPerSecond: number;
}

export interface RequestReplyReport {
  name: 'request-reply';
  raw: { sequential: ModeResult; concurrent16: ModeResult };
  orderflow: { sequential: ModeResult; concurrent16: ModeResult };
  ratios: { sequentialP50: number; sequentialP99: number; concurrentP50: number; concurrentP99: number };
  /** The Kafka settings each side ran with (describeKafkaOptions): the raw peers take the apps'. */
  kafka: { raw: KafkaSides; orderflow: KafkaSides };
  target: string;
}

interface KafkaSides {
  requester: Record<string, string>;
  responder: Record<string, string>;
}

/**
 * Raw kafkajs request-reply (correlation id, reply topic and partition in headers, a responder in
 * another process) against ClientKafka.send to a @MessagePattern handler in another process.
 */
export async function requestReplyBenchmark(environment: BenchEnvironment): Promise<RequestReplyReport> {
  await ensureBenchTopics(environment.brokers, [
    BenchTopics.RawRequest,
    BenchTopics.RawReply,
    BenchTopics.NestEcho,
    BenchTopics.NestEchoReply,
  ]);
  const tag = randomUUID().slice(0, 8);
  const brokerArgs = ['--brokers', environment.brokers];
  const rawPeer = PeerProcess.start('raw-responder', [...brokerArgs, '--group', `bench-raw-${tag}`]);
  const nestPeer = PeerProcess.start('nest-responder', [...brokerArgs, '--group', `bench-nest-${tag}`]);
  const raw = await rawRequester(environment.brokers, tag);
  const nest = await nestRequester(environment.brokers, tag);
  try {
    const [rawReady, nestReady] = await Promise.all([rawPeer.ready(), nestPeer.ready()]);
    const sequentialCount = environment.quick ? 200 : 2_000;
    const concurrentCount = environment.quick ? 1_000 : 10_000;
    for (const requester of [raw.request, nest.request]) await measure(requester, 100, 4); // warm-up
    const result = {
      raw: {
        sequential: await measure(raw.request, sequentialCount, 1),
        concurrent16: await measure(raw.request, concurrentCount, 16),
      },
      orderflow: {
        sequential: await measure(nest.request, sequentialCount, 1),
        concurrent16: await measure(nest.request, concurrentCount, 16),
      },
    };
    return {
      name: 'request-reply',
      ...result,
      ratios: {
        sequentialP50: round(result.orderflow.sequential.p50 / result.raw.sequential.p50, 2),
        sequentialP99: round(result.orderflow.sequential.p99 / result.raw.sequential.p99, 2),
        concurrentP50: round(result.orderflow.concurrent16.p50 / result.raw.concurrent16.p50, 2),
        concurrentP99: round(result.orderflow.concurrent16.p99 / result.raw.concurrent16.p99, 2),
      },
      kafka: {
        raw: { requester: raw.kafka, responder: kafkaOf(rawReady) },
        orderflow: { requester: nest.kafka, responder: kafkaOf(nestReady) },
      },
      target: `p50 <= ${Targets.requestReplyP50}x raw, p99 <= ${Targets.requestReplyP99}x raw`,
    };
  } finally {
    await Promise.all([raw.close(), nest.close(), rawPeer.stop(), nestPeer.stop()]);
  }
}

function kafkaOf(ready: PeerReport): Record<string, string> {
  return 'kafka' in ready && ready.kafka ? ready.kafka : { settings: 'not reported' };
}

type Side = { request: Requester; kafka: Record<string, string>; close(): Promise<void> };

async function measure(request: Requester, count: number, concurrency: number): Promise<ModeResult> {
  const latencies: number[] = [];
  const padding = 'x'.repeat(200);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const sentAt = process.hrtime.bigint();
        await request({ id: randomUUID(), padding });
        latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = summarize(latencies);
  return {
    count: summary.count,
    p50: round(summary.p50, 2),
    p95: round(summary.p95, 2),
    p99: round(summary.p99, 2),
    requestsPerSecond: round(count / seconds),
  };
}

/**
 * The baseline caller: a producer plus a reply consumer that resolves waiting requests by correlation
 * id, on the settings of the apps' ClientKafka.
 */
async function rawRequester(brokers: string, tag: string): Promise<Side> {
  const options: TransportOptions = orderflowClientOptions(benchKafkaSettings(brokers, `bench-raw-requester-${tag}`));
  const kafka = rawKafka(options);
  const producer = kafka.producer(options.producer);
  const consumer = kafka.consumer({ ...options.consumer, groupId: `bench-raw-requester-${tag}` });
  const pending = new Map<string, (value: unknown) => void>();
  let replyPartition: number | undefined;
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    replyPartition = Math.min(...(event.payload.memberAssignment[BenchTopics.RawReply] ?? [0]));
  });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: BenchTopics.RawReply, fromBeginning: false });
  // As the apps' request client commits its replies (autoCommit: false in the options).
  const commits = commitEndedBatches(consumer, console);
  await consumer.run({
    ...options.run,
    eachMessage: async ({ message }) => {
      const id = String(message.headers?.['correlation-id']);
      pending.get(id)?.(JSON.parse(message.value?.toString() ?? 'null'));
      pending.delete(id);
    },
  });
  await pollUntil(async () => replyPartition !== undefined, {
    timeoutMs: ASSIGNMENT_TIMEOUT_MS,
    intervalMs: 20,
    timedOut: () => new Error(`the raw requester got no reply partition within ${ASSIGNMENT_TIMEOUT_MS} ms`),
  });
  return {
    request: (payload) =>
      new Promise((resolve, reject) => {
        const correlationId = randomUUID();
        pending.set(correlationId, resolve);
        producer
          .send({
            ...options.send,
            topic: BenchTopics.RawRequest,
            messages: [
              {
                value: JSON.stringify(payload),
                headers: {
                  'correlation-id': correlationId,
                  'reply-topic': BenchTopics.RawReply,
                  'reply-partition': String(replyPartition),
                },
              },
            ],
          })
          .catch(reject);
      }),
    kafka: describeKafkaOptions(options),
    close: async () => {
      await commits.flush();
      await Promise.all([producer.disconnect(), consumer.disconnect()]);
    },
  };
}

/** Orderflow's caller: Nest's ClientKafka with the gateway's options and a deadline. */
async function nestRequester(brokers: string, tag: string): Promise<Side> {
  const options = orderflowClientOptions(benchKafkaSettings(brokers, `bench-nest-requester-${tag}`));
  const client = new ClientKafka(options);
  client.subscribeToResponseOf(BenchTopics.NestEcho);
  await client.connect();
  // As RequestClient commits its replies (autoCommit: false in the options).
  const commits = commitEndedBatches(client.consumer, console);
  await pollUntil(async () => BenchTopics.NestEchoReply in client.getConsumerAssignments(), {
    timeoutMs: ASSIGNMENT_TIMEOUT_MS,
    intervalMs: 20,
    timedOut: () => new Error(`ClientKafka got no reply partition within ${ASSIGNMENT_TIMEOUT_MS} ms`),
  });
  return {
    request: (payload) =>
      firstValueFrom(client.send(BenchTopics.NestEcho, { key: null, value: payload }).pipe(timeout(10_000))),
    kafka: describeKafkaOptions(options),
    close: async () => {
      await commits.flush();
      await client.close();
    },
  };
}
