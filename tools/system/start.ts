import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  configuredBootstrap,
  externalBrokers,
  KafkaToolError,
  resolveKafkaJars,
  runningPid,
  startBroker,
} from '../kafka/broker';
import { BrokerCredentials, credentialsFile, readBrokerCredentials } from '../kafka/credentials';
import { LocalPostgres, startLocalPostgres } from './local-postgres';
import { startDataDir, startKafkaDir } from './data-dir';
import { portsNeededByStart, refuseTakenPorts } from './start-ports';
import { startSystem, SystemDatabase } from './system';

const dataDir = startDataDir();
const kafkaDir = startKafkaDir();

/** `npm start`: the broker (unless KAFKA_BROKERS is set), the database default and every app; Ctrl-C stops what it started. */
async function main(): Promise<void> {
  const startedAt = Date.now();
  // Again after the build (start-check.ts ran before it): a port may have been taken meanwhile.
  await refuseTakenPorts(await portsNeededByStart(kafkaDir));
  const broker = await brokerToUse();
  const logDir = join(dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const localPostgres = process.env.DATABASE_URL ? undefined : await startLocalPostgresOrStop(broker);
  const database: SystemDatabase = {
    kind: 'postgres',
    url: process.env.DATABASE_URL ?? localPostgres!.url,
    namePrefix: 'orderflow',
  };
  console.log(
    `Starting the apps (${localPostgres ? 'a local PostgreSQL server in .data/postgres, a database per app' : 'PostgreSQL at DATABASE_URL'}); logs in ${logDir}`,
  );
  const system = await startSystem({
    brokers: broker.bootstrap,
    kafkaCredentials: broker.credentials,
    database,
    logDir,
    ports: 'default',
  });

  console.log(`\nOrderflow is up after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  for (const app of system.all) {
    const management = app.launch.managementPort ? `  (metrics: ${app.managementUrl}/metrics)` : '';
    console.log(`  ${app.name.padEnd(16)} ${app.url}${management}`);
  }
  console.log(`
  API:      ${system.app('gateway-1').url}  (OpenAPI at /docs; every route needs a bearer token)`);
  console.log(`  Identity: ${system.app('identity-1').url}  (npm run token -- alice | bob | olivia)`);
  console.log(`  Kafka:    ${broker.bootstrap}`);
  if (broker.credentials) {
    console.log(`            SASL/SCRAM-SHA-512; each app has its own user, passwords in ${credentialsFile(kafkaDir)}`);
  }
  console.log('\nCtrl-C stops everything started here.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping...');
    await system.stop();
    await localPostgres?.stop().catch((error: unknown) => console.error(String(error)));
    await broker.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function startLocalPostgresOrStop(broker: BrokerInUse): Promise<LocalPostgres> {
  try {
    const server = await startLocalPostgres(dataDir);
    console.log(`PostgreSQL is up (data in ${join(dataDir, 'postgres')}, log in ${server.logFile})`);
    return server;
  } catch (error) {
    await broker.stop();
    throw new Error(
      `The local PostgreSQL server did not start (${error instanceof Error ? error.message : String(error)}); see ${join(dataDir, 'postgres', 'postgres.log')}`,
      { cause: error },
    );
  }
}

interface BrokerInUse {
  bootstrap: string;
  /** The local broker's; none for an outside cluster (the apps then take KAFKA_SASL_* from the environment, if set). */
  credentials?: BrokerCredentials;
  stop(): Promise<void>;
}

async function brokerToUse(): Promise<BrokerInUse> {
  const external = externalBrokers();
  if (external) {
    console.log(`Using the Kafka cluster at ${external} (KAFKA_BROKERS)`);
    return { bootstrap: external, stop: async () => undefined };
  }
  const bootstrap = (await runningPid(kafkaDir)) ? await configuredBootstrap(kafkaDir) : undefined;
  if (bootstrap) {
    const credentials = await readBrokerCredentials(kafkaDir);
    if (!credentials) {
      throw new KafkaToolError(
        `The Kafka broker running at ${bootstrap} has no ${credentialsFile(kafkaDir)}: it predates SASL. Stop it (npm run kafka:stop) and delete ${kafkaDir}`,
      );
    }
    console.log(`Using the Kafka broker already running at ${bootstrap} (npm run kafka:stop stops it)`);
    return { bootstrap, credentials, stop: async () => undefined };
  }
  await resolveKafkaJars();
  const broker = await startBroker({ dataDir: kafkaDir });
  console.log(`Kafka is up at ${broker.bootstrap}`);
  return broker;
}

main().catch((error: unknown) => {
  if (error instanceof KafkaToolError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
