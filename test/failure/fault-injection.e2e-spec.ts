import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import {
  externalBrokers,
  killBroker,
  resolveKafkaJars,
  RunningBroker,
  startBroker,
  stopBroker,
  waitForBroker,
} from '../../tools/kafka/broker';
import { scramSasl } from '../../tools/kafka/credentials';
import { AppName } from '../../tools/system/apps';
import { freePort } from '../../tools/system/free-port';
import { RunningSystem, startSystem } from '../../tools/system/system';
import { eventually } from '../support/eventually';
import { Tokens } from '../support/tokens';
import { serviceDatabasePool } from '../support/test-databases';
import { createCatalogue, OrderLoad } from './order-load';
import { expectEveryAppReady, expectReadinessDropped } from './readiness';
import { faultSeed, SeededRandom } from './seeded-random';
import {
  checkSystemInvariants,
  deadLetterSummary,
  expectNoLateChanges,
  SERVICES_WITH_DATABASE,
  waitForTerminalOrders,
} from './system-invariants';
import { PostgresStopMode, ThrowawayPostgres } from './throwaway-postgres';

/**
 * The system under faults, on a broker and a PostgreSQL cluster of its own (the faults would disturb
 * other suites): a mixed load of orders while every service is SIGKILLed once and restarted, one is
 * stopped with SIGTERM, the broker is stopped and restarted (another service is stopped with SIGTERM
 * while it is down), the broker is SIGKILLed and restarted, its process frozen for longer than the
 * consumers' session timeout, the database stopped for a few seconds, and the gateway is killed with
 * requests in flight. Then invariants are checked against the databases, and again after a quiet
 * period. `FAULT_SEED=<n>` replays a run. docs/failure-handling.md says what each fault tests.
 */
const ORDERS = 300;
const SERVICES: AppName[] = ['orders', 'inventory', 'payments', 'notifications', 'gateway'];
const SETTLE_DEADLINE_MS = 180_000;
/** Consumers' session timeout (libs/messaging's kafka-transport.ts) plus a margin: the group must notice. */
const FREEZE_MS = { min: 13_000, max: 16_000 };
/**
 * One request may span a broker freeze and a broker crash back to back (each fault waits until every
 * app is ready again, up to a minute): the clients keep retrying that long.
 */
const REQUEST_DEADLINE_MS = 240_000;
/** Long enough for a redelivery after a rebalance or a relay's retry to land, were there one. */
const QUIET_PERIOD_MS = 10_000;

/**
 * `broker`: the broker is stopped, and `terminatedMeanwhile` gets SIGTERM while it is down.
 * `broker-kill`: SIGKILLed (no controlled shutdown) and restarted. `broker-freeze`: SIGSTOP, then SIGCONT.
 * `database`: the PostgreSQL cluster stops (`fast` or `immediate`) for a few seconds, then starts again.
 */
type Fault =
  | { kind: 'kill'; app: AppName }
  | { kind: 'terminate'; app: AppName }
  | { kind: 'broker'; terminatedMeanwhile: AppName }
  | { kind: 'broker-kill' }
  | { kind: 'broker-freeze' }
  | { kind: 'database'; mode: PostgresStopMode };
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
  const databasePrefix = `orderflow_fault_${runId}`;
  let postgres: ThrowawayPostgres;
  let broker: RunningBroker;
  let brokerPorts: { port: number; controllerPort: number };
  let system: RunningSystem;
  const databases = new Map<AppName, Pool>();
  const faultLog: string[] = [];

  let tokens: Tokens;
  /** Back-office automation: a machine client of the run's own provider, with every scope. */
  const backOffice = () => tokens.client('back-office');

  function gatewayUrl(): string {
    return system.app('gateway-1').url;
  }

  async function query<Row>(app: AppName, sql: string, parameters: unknown[] = []): Promise<Row[]> {
    if (!databases.has(app)) databases.set(app, serviceDatabasePool(postgres.url, databasePrefix, app));
    return (await databases.get(app)!.query(sql, parameters)).rows as Row[];
  }

  beforeAll(async () => {
    process.stdout.write(`\nfault injection: FAULT_SEED=${random.seed} (logs in ${runDir})\n`);
    await resolveKafkaJars();
    postgres = await ThrowawayPostgres.create(join(runDir, 'postgres'));
    brokerPorts = { port: await freePort(), controllerPort: await freePort() };
    broker = await startBroker({ dataDir: join(runDir, 'kafka'), ...brokerPorts });
    await mkdir(join(runDir, 'logs'), { recursive: true });
    system = await startSystem({
      brokers: broker.bootstrap,
      kafkaCredentials: broker.credentials,
      database: { kind: 'postgres', url: postgres.url, namePrefix: databasePrefix },
      logDir: join(runDir, 'logs'),
      apps: SERVICES,
      // No invariant here reads the stream processor's results: its JVM would only slow the machine down.
      streamApps: [],
      ports: 'free',
      // Short retries: a service killed mid-retry must not hold the test; the DLQs must stay empty anyway.
      // The outbox keeps every published row for the run, so that the inboxes are checked against it.
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        KAFKA_REQUEST_TIMEOUT_MS: '5000',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        OUTBOX_RETENTION_MS: String(60 * 60 * 1000),
      },
    });
    tokens = new Tokens(system.app('identity-1').url);
  }, 240_000);

  afterAll(async () => {
    for (const pool of databases.values()) await pool.end();
    await system?.stop();
    await stopBroker(join(runDir, 'kafka'));
    await postgres?.destroy();
  }, 120_000);

  async function injectFault(fault: Fault): Promise<void> {
    const started = Date.now();
    switch (fault.kind) {
      case 'broker': {
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
      case 'broker-kill': {
        // A crash: no controlled shutdown, the log recovered at start.
        await killBroker(broker.dataDir);
        // The dead process's listening port can stay taken for a moment (its sockets are torn down
        // by the kernel, not closed by it): start again once it is free.
        const { dataDir } = broker;
        // After a crash the new incarnation also waits for the old one's registration to expire.
        broker = await eventually(() => startBroker({ dataDir, ...brokerPorts, startTimeoutMs: 150_000 }), {
          timeoutMs: 60_000,
          intervalMs: 1_000,
        });
        const restarted = Date.now() - started;
        await expectEveryAppReady(system, 60_000);
        faultLog.push(
          `broker SIGKILLed and restarted (${restarted} ms), every app ready after ${Date.now() - started} ms`,
        );
        return;
      }
      case 'broker-freeze': {
        // The process is alive and its sockets open, but nothing answers: the group's sessions expire.
        const frozenMs = random.between(FREEZE_MS.min, FREEZE_MS.max);
        process.kill(broker.pid, 'SIGSTOP');
        try {
          await new Promise((wake) => setTimeout(wake, frozenMs)); // the freeze itself
        } finally {
          process.kill(broker.pid, 'SIGCONT');
        }
        await waitForBroker(broker.bootstrap, broker.credentials.admin, 30_000);
        await expectEveryAppReady(system, 60_000);
        faultLog.push(`broker frozen (SIGSTOP) for ${frozenMs} ms, every app ready after ${Date.now() - started} ms`);
        return;
      }
      case 'database': {
        await postgres.stop(fault.mode);
        const apps = SERVICES_WITH_DATABASE.map((app) => system.app(`${app}-1`));
        try {
          // The outage lasts a few seconds, and at least until every app has said it is not ready.
          await Promise.all([
            expectReadinessDropped(apps, 15_000),
            new Promise((wake) => setTimeout(wake, random.between(2_000, 5_000))),
          ]);
        } finally {
          await postgres.start();
        }
        const down = Date.now() - started;
        await expectEveryAppReady(system, 60_000);
        faultLog.push(
          `database stopped (${fault.mode}) for ${down} ms, readiness dropped, every app ready after ${Date.now() - started} ms`,
        );
        return;
      }
      case 'kill': {
        const instance = `${fault.app}-1`;
        await system.app(instance).kill();
        await system.restart(instance);
        faultLog.push(`${instance} SIGKILLed and restarted (${Date.now() - started} ms)`);
        return;
      }
      case 'terminate': {
        const instance = `${fault.app}-1`;
        faultLog.push(`${instance} SIGTERM: ${await terminate(instance)}`);
        await system.restart(instance);
        return;
      }
    }
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

  it('keeps every invariant through kills, broker restarts, a crash and a freeze, a database outage and a gateway crash', async () => {
    const gateway = { gatewayUrl, credentials: backOffice };
    const catalogue = await createCatalogue(gateway, runId);
    const load = new OrderLoad(gateway, catalogue, random, ORDERS, REQUEST_DEADLINE_MS);
    let chaosDone = false;

    async function chaos(): Promise<void> {
      const faults: Fault[] = random.shuffle<Fault>([
        ...SERVICES.map((app): Fault => ({ kind: 'kill', app })),
        { kind: 'terminate', app: random.pick(['orders', 'inventory', 'payments'] as AppName[]) },
        { kind: 'broker', terminatedMeanwhile: random.pick(['orders', 'gateway'] as AppName[]) },
        { kind: 'broker-kill' },
        { kind: 'broker-freeze' },
        { kind: 'database', mode: random.pick(['fast', 'immediate'] as PostgresStopMode[]) },
      ]);
      try {
        for (const fault of faults) {
          await new Promise((wake) => setTimeout(wake, random.between(500, 3_000)));
          await injectFault(fault);
          process.stdout.write(`fault injection: ${faultLog.at(-1)}\n`);
        }
      } finally {
        chaosDone = true;
      }
    }

    const [, { placed, retries, durationMs: loadMs }] = await Promise.all([chaos(), load.run(() => !chaosDone)]);

    const subject = { query, catalogue, placed };
    await waitForTerminalOrders(subject, SETTLE_DEADLINE_MS);
    const summary = await checkSystemInvariants(subject);
    await expectNoLateChanges(subject, QUIET_PERIOD_MS);

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
        `fault injection (FAULT_SEED=${random.seed}): ${placed.length} orders in ${loadMs} ms, ${retries.summary()}`,
        ...faultLog.map((line) => `  fault: ${line}`),
        `  confirmed ${summary.confirmed.length}, cancelled ${summary.cancelled.length} (customer cancels requested ${placed.filter((order) => order.cancelRequested).length})`,
        `  charged ${summary.chargedCents} cents, refunded ${summary.refundedCents} cents, payments rows ${summary.paymentRows}`,
        `  stock left: ${summary.stock.map((row) => `${row.sku.slice(-1)}=${row.stock}`).join(' ')}`,
        `  dead letters: ${dlqSummary.length === 0 ? 'none' : dlqSummary.join(' | ')}`,
        '',
      ].join('\n'),
    );
    expect(placed.length).toBeGreaterThanOrEqual(ORDERS);
    expect(faultLog).toHaveLength(SERVICES.length + 6);
    expect(summary.confirmed.length).toBeGreaterThan(0);
    expect(summary.cancelled.length).toBeGreaterThan(0);
    expect(dlqSummary).toEqual([]);
    // Retries hid no server error: the only 5xx a client may see is the documented 504.
    expect(retries.undocumentedServerErrors).toEqual([]);
  }, 600_000);
});
