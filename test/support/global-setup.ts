import './tsconfig-paths';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { externalBrokers, resolveKafkaJars, RunningBroker, startBroker } from '../../tools/kafka/broker';
import { credentialsFile } from '../../tools/kafka/credentials';
import { appsWithDatabase } from '../../tools/system/apps';
import { freePort } from '../../tools/system/free-port';
import { RunningSystem, startSystem } from '../../tools/system/system';
import { publishE2eEnvironment } from './e2e-environment';
import { dropTestDatabases } from './test-databases';

/** Held for global teardown, which runs in this same process. */
export interface E2eRun {
  broker?: RunningBroker;
  system?: RunningSystem;
  databaseUrl: string;
  databasePrefix: string;
}

declare global {
  var orderflowE2eRun: E2eRun | undefined;
}

const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Starts a fresh broker (unless KAFKA_BROKERS names a cluster) and the whole system from the built
 * apps, each with a database of its own created for this run. Cleans up after itself if it fails.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const runDir = resolve(__dirname, '../../.data/e2e', runId);
  const run: E2eRun = {
    databaseUrl: process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL,
    databasePrefix: `orderflow_e2e_${runId}`,
  };
  globalThis.orderflowE2eRun = run;
  try {
    const brokers = externalBrokers() ?? (await startTestBroker(run, runDir));
    const logDir = join(runDir, 'logs');
    await mkdir(logDir, { recursive: true });
    run.system = await startSystem({
      brokers,
      kafkaCredentials: run.broker?.credentials,
      database: { kind: 'postgres', url: run.databaseUrl, namePrefix: run.databasePrefix },
      logDir,
      ports: 'free',
      env: { NODE_ENV: 'test', LOG_LEVEL: 'warn' },
    });
    publishE2eEnvironment({
      brokers,
      gatewayUrl: run.system.app('gateway-1').url,
      gatewayManagementUrl: run.system.app('gateway-1').managementUrl,
      issuerUrl: run.system.app('identity-1').url,
      databaseUrl: run.databaseUrl,
      databasePrefix: run.databasePrefix,
      logDir,
      ...(run.broker ? { kafkaCredentialsFile: credentialsFile(run.broker.dataDir) } : {}),
    });
    process.stdout.write(`\ne2e: system up (broker ${brokers}, logs in ${logDir})\n`);
  } catch (error) {
    await tearDown(run);
    throw error;
  }
}

async function startTestBroker(run: E2eRun, runDir: string): Promise<string> {
  await resolveKafkaJars();
  run.broker = await startBroker({
    dataDir: join(runDir, 'kafka'),
    port: await freePort(),
    controllerPort: await freePort(),
  });
  return run.broker.bootstrap;
}

export async function tearDown(run: E2eRun): Promise<void> {
  await run.system?.stop();
  await run.broker?.stop();
  await dropTestDatabases(run.databaseUrl, run.databasePrefix, appsWithDatabase);
}
