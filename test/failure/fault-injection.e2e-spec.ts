import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { externalBrokers, resolveKafkaJars, RunningBroker, startBroker, stopBroker } from '../../tools/kafka/broker';
import { scramSasl } from '../../tools/kafka/credentials';
import { AppName } from '../../tools/system/apps';
import { freePort } from '../../tools/system/free-port';
import { RunningSystem, startSystem } from '../../tools/system/system';
import { Tokens } from '../support/tokens';
import { connectToServiceDatabase, dropTestDatabases } from '../support/test-databases';
import { createCatalogue, OrderLoad } from './order-load';
import { faultSeed, SeededRandom } from './seeded-random';
import { checkSystemInvariants, deadLetterSummary, waitForTerminalOrders } from './system-invariants';

/**
 * The system under faults, on a broker and databases of its own (the faults would disturb other
 * suites): a mixed load of orders while every service is SIGKILLed once and restarted, one is
 * stopped with SIGTERM, the broker is stopped and restarted (another service is stopped with SIGTERM
 * while it is down) and the gateway is killed with requests in flight. Then invariants are checked
 * against the databases. `FAULT_SEED=<n>` replays a run.
 */
const ORDERS = 300;
const SERVICES: AppName[] = ['orders', 'inventory', 'payments', 'notifications', 'gateway'];
const SETTLE_DEADLINE_MS = 180_000;

/** `broker`: the broker is stopped, and `terminatedMeanwhile` gets SIGTERM while it is down. */
type Fault =
  | { kind: 'kill'; app: AppName }
  | { kind: 'terminate'; app: AppName }
  | { kind: 'broker'; terminatedMeanwhile: AppName };
/**
 * Shorter than the default 10 s, so that a stop waiting on the absent broker would overrun it: kafkajs
 * retries a consumer's goodbye for about 9 s before it gives up. Past it an app exits with code 1.
 */
const SHUTDOWN_TIMEOUT_MS = 6_000;
/** A SIGTERMed app must have exited by then. */
const DRAIN_LIMIT_MS = SHUTDOWN_TIMEOUT_MS + 2_000;

const describeWithOwnBroker = externalBrokers() ? describe.skip : describe;

describeWithOwnBroker('the system under faults', () => {
  const random = new SeededRandom(faultSeed());
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const runDir = resolve(__dirname, '../../.data/e2e-failure', runId);
  const databaseUrl = process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databasePrefix = `orderflow_fault_${runId}`;
  let broker: RunningBroker;
  let brokerPorts: { port: number; controllerPort: number };
  let system: RunningSystem;
  const databases = new Map<AppName, Client>();
  const faultLog: string[] = [];

  let tokens: Tokens;
  /** Back-office automation: a machine client of the run's own provider, with every scope. */
  const backOffice = () => tokens.client('back-office');

  function gatewayUrl(): string {
    return system.app('gateway-1').url;
  }

  async function query<Row>(app: AppName, sql: string, parameters: unknown[] = []): Promise<Row[]> {
    if (!databases.has(app)) databases.set(app, await connectToServiceDatabase(databaseUrl, databasePrefix, app));
    return (await databases.get(app)!.query(sql, parameters)).rows as Row[];
  }

  beforeAll(async () => {
    process.stdout.write(`\nfault injection: FAULT_SEED=${random.seed} (logs in ${runDir})\n`);
    await resolveKafkaJars();
    brokerPorts = { port: await freePort(), controllerPort: await freePort() };
    broker = await startBroker({ dataDir: join(runDir, 'kafka'), ...brokerPorts });
    await mkdir(join(runDir, 'logs'), { recursive: true });
    system = await startSystem({
      brokers: broker.bootstrap,
      kafkaCredentials: broker.credentials,
      database: { kind: 'postgres', url: databaseUrl, namePrefix: databasePrefix },
      logDir: join(runDir, 'logs'),
      apps: SERVICES,
      ports: 'free',
      // Short retries: a service killed mid-retry must not hold the test; the DLQs must stay empty anyway.
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        KAFKA_REQUEST_TIMEOUT_MS: '5000',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      },
    });
    tokens = new Tokens(system.app('identity-1').url);
  }, 240_000);

  afterAll(async () => {
    for (const client of databases.values()) await client.end();
    await system?.stop();
    await stopBroker(join(runDir, 'kafka'));
    await dropTestDatabases(databaseUrl, databasePrefix, ['orders', 'inventory', 'payments', 'notifications']);
  }, 120_000);

  async function injectFault(fault: Fault): Promise<void> {
    const started = Date.now();
    if (fault.kind === 'broker') {
      await stopBroker(broker.dataDir);
      await new Promise((wake) => setTimeout(wake, random.between(500, 3_000))); // the outage itself
      // A stop must not wait for a broker that is gone: whatever was not committed is redelivered.
      const instance = `${fault.terminatedMeanwhile}-1`;
      const terminated = await terminate(instance);
      broker = await startBroker({ dataDir: broker.dataDir, ...brokerPorts });
      faultLog.push(`broker stopped and restarted (${Date.now() - started} ms)`);
      faultLog.push(`${instance} SIGTERM while the broker was down: ${terminated}`);
      await system.restart(instance);
      return;
    }
    const instance = `${fault.app}-1`;
    if (fault.kind === 'kill') {
      await system.app(instance).kill();
      await system.restart(instance);
      faultLog.push(`${instance} SIGKILLed and restarted (${Date.now() - started} ms)`);
      return;
    }
    faultLog.push(`${instance} SIGTERM: ${await terminate(instance)}`);
    await system.restart(instance);
  }

  /** Stops an instance with SIGTERM, which must drain and exit 0 within the apps' shutdown budget. */
  async function terminate(instance: string): Promise<string> {
    const started = Date.now();
    const exitCode = await system.app(instance).stop(30_000);
    const drained = Date.now() - started;
    expect({ instance, exitCode }).toEqual({ instance, exitCode: 0 });
    expect(drained).toBeLessThan(DRAIN_LIMIT_MS);
    return `exit ${exitCode} after ${drained} ms`;
  }

  it('keeps every invariant through kills, a broker restart and a gateway crash', async () => {
    const gateway = { gatewayUrl, credentials: backOffice };
    const catalogue = await createCatalogue(gateway, runId);
    const load = new OrderLoad(gateway, catalogue, random, ORDERS);
    let chaosDone = false;

    async function chaos(): Promise<void> {
      const faults: Fault[] = random.shuffle<Fault>([
        ...SERVICES.map((app): Fault => ({ kind: 'kill', app })),
        { kind: 'terminate', app: random.pick(['orders', 'inventory', 'payments'] as AppName[]) },
        { kind: 'broker', terminatedMeanwhile: random.pick(['orders', 'gateway'] as AppName[]) },
      ]);
      try {
        for (const fault of faults) {
          await new Promise((wake) => setTimeout(wake, random.between(500, 3_000)));
          await injectFault(fault);
        }
      } finally {
        chaosDone = true;
      }
    }

    const [, { placed, clientRetries, durationMs: loadMs }] = await Promise.all([chaos(), load.run(() => !chaosDone)]);

    const subject = { query, catalogue, placed };
    await waitForTerminalOrders(subject, SETTLE_DEADLINE_MS);
    const summary = await checkSystemInvariants(subject);

    const kafka = new Kafka({
      clientId: `fault-check-${runId}`,
      brokers: [broker.bootstrap],
      sasl: scramSasl(broker.credentials.admin),
      logLevel: logLevel.NOTHING,
    });
    const dlqSummary = await deadLetterSummary(kafka, {
      brokers: [broker.bootstrap],
      security: { sasl: scramSasl(broker.credentials.participants['dlq-tool']) },
    });

    process.stdout.write(
      [
        `fault injection (FAULT_SEED=${random.seed}): ${placed.length} orders in ${loadMs} ms, ${clientRetries} client retries`,
        ...faultLog.map((line) => `  fault: ${line}`),
        `  confirmed ${summary.confirmed.length}, cancelled ${summary.cancelled.length} (customer cancels requested ${placed.filter((order) => order.cancelRequested).length})`,
        `  charged ${summary.chargedCents} cents, refunded ${summary.refundedCents} cents, payments rows ${summary.paymentRows}`,
        `  stock left: ${summary.stock.map((row) => `${row.sku.slice(-1)}=${row.stock}`).join(' ')}`,
        `  dead letters: ${dlqSummary.length === 0 ? 'none' : dlqSummary.join(' | ')}`,
        '',
      ].join('\n'),
    );
    expect(placed.length).toBeGreaterThanOrEqual(ORDERS);
    expect(faultLog).toHaveLength(SERVICES.length + 3);
    expect(summary.confirmed.length).toBeGreaterThan(0);
    expect(summary.cancelled.length).toBeGreaterThan(0);
    expect(dlqSummary).toEqual([]);
  }, 600_000);
});
