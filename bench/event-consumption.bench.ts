import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, databaseUrl } from '../libs/persistence/src/postgres-admin';
import { freePort } from '../tools/system/free-port';
import { BenchTopics } from './bench-topics';
import { benchEffectTableSql } from './peers/bench-event';
import { BenchEnvironment } from './support/bench-environment';
import { benchKafka, ensureBenchTopics } from './support/bench-topics-admin';
import { PeerProcess } from './support/peer-process';
import { round } from './support/statistics';

interface ConsumptionResult {
  messages: number;
  seconds: number;
  messagesPerSecond: number;
}

export interface EventConsumptionReport {
  name: 'event-consumption';
  events: number;
  transport: { rawEachMessage: ConsumptionResult; rawEachBatch: ConsumptionResult; orderflow: ConsumptionResult };
  fullPath: { rawEachMessage: ConsumptionResult; orderflow: ConsumptionResult };
  ratios: { transport: number; fullPath: number };
  target: string;
}

/**
 * 100 000 events of ~1 KB produced up front, then consumed from the beginning by each contender in a
 * process of its own: (a) doing nothing, (b) validating and writing the inbox row plus an effect.
 */
export async function eventConsumptionBenchmark(environment: BenchEnvironment): Promise<EventConsumptionReport> {
  const events = environment.quick ? 10_000 : 100_000;
  await ensureBenchTopics(environment.brokers, [BenchTopics.Events]);
  await produceEvents(environment.brokers, events);

  const rawDatabase = `orderflow_bench_${environment.runId}_rawconsumer`;
  const nestDatabase = `orderflow_bench_${environment.runId}_nestconsumer`;
  await prepareRawDatabase(environment.databaseUrl, rawDatabase);
  try {
    const common = ['--brokers', environment.brokers, '--count', String(events)];
    const raw = (mode: string, extra: string[] = []) =>
      consume('raw-consumer', [...common, '--mode', mode, '--group', `bench-raw-${randomUUID()}`, ...extra], {});
    const nest = async (extra: string[]) =>
      consume('nest-consumer', [...common, '--group', `bench-nest-${randomUUID()}`, ...extra], {
        KAFKA_BROKERS: environment.brokers,
        DATABASE_URL: environment.databaseUrl,
        DATABASE_NAME: nestDatabase,
        HTTP_PORT: String(await freePort()),
        KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: '3',
      });
    const databaseArgs = ['--database', databaseUrl(environment.databaseUrl, rawDatabase)];
    const transport = {
      rawEachMessage: await raw('eachMessage'),
      rawEachBatch: await raw('eachBatch'),
      orderflow: await nest([]),
    };
    const fullPath = {
      rawEachMessage: await raw('eachMessage', databaseArgs),
      orderflow: await nest(['--full']),
    };
    return {
      name: 'event-consumption',
      events,
      transport,
      fullPath,
      ratios: {
        transport: round(transport.orderflow.messagesPerSecond / transport.rawEachMessage.messagesPerSecond, 2),
        fullPath: round(fullPath.orderflow.messagesPerSecond / fullPath.rawEachMessage.messagesPerSecond, 2),
      },
      target: 'orderflow >= 0.8x raw eachMessage throughput, for both cases',
    };
  } finally {
    await dropDatabase(environment.databaseUrl, rawDatabase);
    await dropDatabase(environment.databaseUrl, nestDatabase);
  }
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
