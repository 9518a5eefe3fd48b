import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, databaseUrl } from '@orderflow/persistence';
import { freePort } from '../tools/system/free-port';
import { BenchTopics } from './bench-topics';
import { benchEffectTableSql } from './peers/bench-event';
import { BenchEnvironment } from './support/bench-environment';
import { benchKafka, ensureBenchTopics } from './support/bench-topics-admin';
import { PeerProcess } from './support/peer-process';
import { round } from './support/statistics';
import { Targets } from './targets';

interface ConsumptionResult {
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  /** Where a contender ran several rounds: messages/s of each; the figures above are the median round's. */
  rounds?: number[];
}

/** The transport-alone runs take a few seconds each and swing with the machine (±25 % run to run). */
const TRANSPORT_ROUNDS = 3;

type Contenders<K extends string> = Record<K, ConsumptionResult>;

export interface EventConsumptionReport {
  name: 'event-consumption';
  events: number;
  /** `orderflow`: a handler per message; `orderflowInBatches`: an `InBatches` handler, a fetched batch per call. */
  transport: Contenders<'rawEachMessage' | 'rawEachBatch' | 'orderflow' | 'orderflowInBatches'>;
  /** `rawEachBatch` here writes a fetched batch in one transaction, as `runOnceEach` does. */
  fullPath: Contenders<'rawEachMessage' | 'rawEachBatch' | 'orderflow' | 'orderflowInBatches'>;
  /** Against raw `eachMessage` (the target), and the batch handler against raw `eachBatch` doing the same. */
  ratios: {
    transport: number;
    transportInBatches: number;
    transportInBatchesToRawEachBatch: number;
    fullPath: number;
    fullPathInBatches: number;
    fullPathInBatchesToRawEachBatch: number;
  };
  target: string;
}

/**
 * 100 000 events of ~1 KB produced up front, then consumed from the beginning by each contender in a
 * process of its own: (a) doing nothing, (b) validating and writing the inbox row plus an effect.
 * Orderflow runs twice in each case: a handler per message, and an `InBatches` handler. The short
 * transport-alone runs go in three alternating rounds (one in quick mode), each contender's median
 * round counting.
 */
export async function eventConsumptionBenchmark(environment: BenchEnvironment): Promise<EventConsumptionReport> {
  const events = environment.quick ? 10_000 : 100_000;
  await ensureBenchTopics(environment.brokers, [BenchTopics.Events]);
  await produceEvents(environment.brokers, events);

  const rawDatabase = `orderflow_bench_${environment.runId}_rawconsumer`;
  const nestDatabase = `orderflow_bench_${environment.runId}_nestconsumer`;
  // Each run of the same events needs an inbox of its own, or it would find them all handled.
  const rawBatchDatabase = `orderflow_bench_${environment.runId}_rawbatchconsumer`;
  const nestBatchDatabase = `orderflow_bench_${environment.runId}_nestbatchconsumer`;
  const databases = [rawDatabase, nestDatabase, rawBatchDatabase, nestBatchDatabase];
  await prepareRawDatabase(environment.databaseUrl, rawDatabase);
  await prepareRawDatabase(environment.databaseUrl, rawBatchDatabase);
  try {
    const common = ['--brokers', environment.brokers, '--count', String(events)];
    const raw = (mode: string, extra: string[] = []) =>
      consume('raw-consumer', [...common, '--mode', mode, '--group', `bench-raw-${randomUUID()}`, ...extra], {});
    const nest = async (extra: string[], database = nestDatabase) =>
      consume('nest-consumer', [...common, '--group', `bench-nest-${randomUUID()}`, ...extra], {
        KAFKA_BROKERS: environment.brokers,
        DATABASE_URL: environment.databaseUrl,
        DATABASE_NAME: database,
        HTTP_PORT: String(await freePort()),
        KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: '3',
      });
    const databaseArgs = (database: string) => ['--database', databaseUrl(environment.databaseUrl, database)];
    // Alternating rounds, so a slow minute of the machine falls on every contender alike.
    const transportRounds: Record<keyof EventConsumptionReport['transport'], ConsumptionResult[]> = {
      rawEachMessage: [],
      rawEachBatch: [],
      orderflow: [],
      orderflowInBatches: [],
    };
    for (let round = 0; round < (environment.quick ? 1 : TRANSPORT_ROUNDS); round++) {
      transportRounds.rawEachMessage.push(await raw('eachMessage'));
      transportRounds.rawEachBatch.push(await raw('eachBatch'));
      transportRounds.orderflow.push(await nest([]));
      transportRounds.orderflowInBatches.push(await nest(['--batches']));
    }
    const transport = {
      rawEachMessage: medianRound(transportRounds.rawEachMessage),
      rawEachBatch: medianRound(transportRounds.rawEachBatch),
      orderflow: medianRound(transportRounds.orderflow),
      orderflowInBatches: medianRound(transportRounds.orderflowInBatches),
    };
    const fullPath = {
      rawEachMessage: await raw('eachMessage', databaseArgs(rawDatabase)),
      rawEachBatch: await raw('eachBatch', [...databaseArgs(rawBatchDatabase), '--batch-transactions']),
      orderflow: await nest(['--full']),
      orderflowInBatches: await nest(['--full', '--batches'], nestBatchDatabase),
    };
    return {
      name: 'event-consumption',
      events,
      transport,
      fullPath,
      ratios: {
        transport: ratio(transport.orderflow, transport.rawEachMessage),
        transportInBatches: ratio(transport.orderflowInBatches, transport.rawEachMessage),
        transportInBatchesToRawEachBatch: ratio(transport.orderflowInBatches, transport.rawEachBatch),
        fullPath: ratio(fullPath.orderflow, fullPath.rawEachMessage),
        fullPathInBatches: ratio(fullPath.orderflowInBatches, fullPath.rawEachMessage),
        fullPathInBatchesToRawEachBatch: ratio(fullPath.orderflowInBatches, fullPath.rawEachBatch),
      },
      target: `orderflow >= ${Targets.consumption}x raw eachMessage throughput, for both cases`,
    };
  } finally {
    for (const database of databases) await dropDatabase(environment.databaseUrl, database);
  }
}

function medianRound(rounds: ConsumptionResult[]): ConsumptionResult {
  const sorted = [...rounds].sort((a, b) => a.messagesPerSecond - b.messagesPerSecond);
  const median = sorted[Math.floor(sorted.length / 2)];
  return rounds.length === 1 ? median : { ...median, rounds: rounds.map((round) => round.messagesPerSecond) };
}

function ratio(contender: ConsumptionResult, baseline: ConsumptionResult): number {
  return round(contender.messagesPerSecond / baseline.messagesPerSecond, 2);
}

async function consume(peer: string, args: string[], env: Record<string, string>): Promise<ConsumptionResult> {
  const peerProcess = PeerProcess.start(peer, args, env);
  try {
    const done = await peerProcess.done(600_000);
    const seconds = (done.lastAt - done.firstAt) / 1000;
    return { messages: done.count, seconds: round(seconds, 2), messagesPerSecond: round(done.count / seconds) };
  } finally {
    await peerProcess.stop();
  }
}

async function produceEvents(brokers: string, count: number): Promise<void> {
  const producer = benchKafka(brokers, 'bench-producer').producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const note = 'n'.repeat(760);
  try {
    for (let sent = 0; sent < count; sent += 1_000) {
      const messages = Array.from({ length: Math.min(1_000, count - sent) }, () => {
        const orderId = randomUUID();
        const envelope = {
          eventId: randomUUID(),
          type: BenchTopics.Events,
          occurredAt: new Date().toISOString(),
          correlationId: randomUUID(),
          aggregateId: orderId,
          aggregateVersion: 1,
          payload: { orderId, note },
        };
        return { key: orderId, value: JSON.stringify(envelope) };
      });
      await producer.send({ topic: BenchTopics.Events, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

async function prepareRawDatabase(serverUrl: string, name: string): Promise<void> {
  await ensureDatabase(serverUrl, name);
  const client = new Client({ connectionString: databaseUrl(serverUrl, name) });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS inbox_message (
      consumer text NOT NULL, message_id text NOT NULL, handled_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, message_id))`);
    await client.query(benchEffectTableSql);
  } finally {
    await client.end();
  }
}
