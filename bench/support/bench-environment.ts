import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { externalBrokers, resolveKafkaJars, RunningBroker, startBroker } from '../../tools/kafka/broker';
import { BrokerCredentials, credentialEnvironment } from '../../tools/kafka/credentials';
import { freePort } from '../../tools/system/free-port';

export interface BenchEnvironment {
  runId: string;
  runDir: string;
  brokers: string;
  /** The benchmark broker's users (the system's apps get their own); none for an outside cluster. */
  kafkaCredentials?: BrokerCredentials;
  /** The benchmark broker's process, whose CPU the saga reports; none for an outside cluster. */
  brokerPid?: number;
  /** A PostgreSQL server: benchmarks measure the production database, not the embedded default. */
  databaseUrl: string;
  quick: boolean;
  close(): Promise<void>;
}

/** A broker of the benchmark's own (unless KAFKA_BROKERS is set), shared by every benchmark of one run. */
export async function openBenchEnvironment(quick: boolean): Promise<BenchEnvironment> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const runDir = resolve(__dirname, '../../.data/bench', runId);
  await mkdir(runDir, { recursive: true });
  let broker: RunningBroker | undefined;
  let brokers = externalBrokers();
  if (!brokers) {
    await resolveKafkaJars();
    broker = await startBroker({
      dataDir: join(runDir, 'kafka'),
      port: await freePort(),
      controllerPort: await freePort(),
    });
    brokers = broker.bootstrap;
    // Every benchmark client and peer (they inherit the environment) connects as the admin.
    Object.assign(process.env, credentialEnvironment(broker.credentials.admin));
  }
  return {
    runId,
    runDir,
    brokers,
    kafkaCredentials: broker?.credentials,
    brokerPid: broker?.pid,
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    quick,
    close: async () => {
      await broker?.stop();
    },
  };
}
