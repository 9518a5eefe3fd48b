import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, Server } from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { nestCli, REPO_ROOT } from '../../k8s/orderflow-apps';
import { databaseUrl, dropDatabase } from '@orderflow/persistence';
import { AppProcess } from '../../tools/system/app-process';
import { appNames } from '../../tools/system/apps';
import { freePort } from '../../tools/system/free-port';
import { gatewayIdentityEnvironment } from '../../tools/system/identity-app';
import { eventually, EventuallyOptions } from '../support/eventually';
import { createCustomer, createProduct } from '../support/fixtures';
import { SystemUnderTest } from '../support/system-under-test';

/** The operator's view of the running system: probes, metrics, request ids; and the built start files. */
describe('operations: probes and metrics on the running system', () => {
  const system = new SystemUnderTest();
  const gateway = system.environment.gatewayUrl;
  const management = system.environment.gatewayManagementUrl;

  afterAll(() => system.close());

  it('answers the probes the Deployments use', async () => {
    expect((await fetch(`${gateway}/health/live`)).status).toBe(200);
    const ready = await fetch(`${gateway}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' } } });
  });

  it('serves /metrics on the management port only, never on the public API', async () => {
    const onPublicPort = await fetch(`${gateway}/metrics`);
    expect(onPublicPort.status).toBe(404);
    expect(await onPublicPort.text()).not.toContain('orderflow_');
    const onManagementPort = await fetch(`${management}/metrics`);
    expect(onManagementPort.status).toBe(200);
    expect(await onManagementPort.text()).toMatch(/orderflow_process_resident_memory_bytes\{service="gateway"\}/);
    expect((await fetch(`${management}/health/ready`)).status).toBe(404);
  });

  it('counts HTTP requests by route in Prometheus format, and echoes the caller’s request id', async () => {
    const customer = await createCustomer(system.http, 1_000);
    const product = await createProduct(system.http, { stock: 5, priceCents: 100 });
    const response = await fetch(`${gateway}/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'ops-e2e-request-1',
        authorization: `Bearer ${await system.tokens.client('storefront')}`,
      },
      body: JSON.stringify({ customerId: customer.id, items: [{ sku: product.sku, quantity: 1 }] }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe('ops-e2e-request-1');

    const metrics = await fetch(`${management}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toMatch(
      /orderflow_http_requests_total\{[^}]*method="POST",route="\/orders",status="202"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/orderflow_process_resident_memory_bytes\{service="gateway"\} \d+/);
    // The gateway consumes order status changes: its handler histogram fills as the saga runs.
    await eventually(async () => {
      const later = await (await fetch(`${management}/metrics`)).text();
      expect(later).toMatch(/orderflow_messages_consumed_total\{[^}]*topic="order\.status-changed"[^}]*\} [1-9]/);
      // Lag of the group this instance really joined (its own, for broadcast), not of `gateway-server`.
      expect(later).toMatch(
        /orderflow_consumer_lag_messages\{[^}]*group="gateway-[^"]+-server"[^}]*topic="order\.status-changed"[^}]*\} \d+/,
      );
    });
  });

  it('keeps an app started with a broken environment alive and not ready, naming the bad variables', async () => {
    const secret = 'hunter2';
    const broken = await AppProcess.start({
      app: 'orders',
      instance: 'orders-broken-environment',
      port: await freePort(),
      env: {
        KAFKA_BROKERS: '',
        OUTBOX_READY_MAX_BACKLOG: 'abc',
        DATABASE_URL: `mysql://orderflow:${secret}@db:3306/orders`,
      },
      logDir: system.environment.logDir,
    });
    try {
      const ready = await notReadyAnswer(broken, { timeoutMs: 60_000, intervalMs: 200 });
      expect(JSON.parse(ready)).toMatchObject({
        status: 'error',
        service: 'orders',
        error: {
          configuration: {
            status: 'down',
            problems: expect.arrayContaining([
              'KAFKA_BROKERS: must be a comma-separated list of host:port',
              'DATABASE_URL: must be a postgres:// URL',
              expect.stringMatching(/^OUTBOX_READY_MAX_BACKLOG: /),
            ]),
          },
        },
      });
      expect(ready).not.toContain(secret);
      expect((await fetch(`${broken.url}/health/live`)).status).toBe(200);
      // The scraper sees the failure on the management port; the public port shows no metrics.
      const scraped = await (await fetch(`${broken.managementUrl}/metrics`)).text();
      expect(scraped).toContain('orderflow_startup_failed{service="orders"} 1');
      expect(await (await fetch(`${broken.url}/metrics`)).text()).not.toContain('orderflow_');
      // A bad environment is not retried: the same process still answers, no crash loop.
      expect(broken.isRunning).toBe(true);
    } finally {
      expect(await broken.stop()).toBe(0);
    }
    const log = fs.readFileSync(broken.logFile, 'utf8');
    expect(log).not.toContain(secret);
    const lines = log
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { service?: string; variable?: string; msg?: string });
    expect(lines.every((line) => line.service === 'orders')).toBe(true);
    expect(lines.map((line) => line.variable)).toEqual(
      expect.arrayContaining(['KAFKA_BROKERS', 'DATABASE_URL', 'OUTBOX_READY_MAX_BACKLOG']),
    );
    expect(lines.at(-1)?.msg).toBe('SIGTERM: stopping');
  });

  it("refuses an inbox retention shorter than its topics' retention on the broker, naming the variable", async () => {
    const forgetful = await AppProcess.start({
      app: 'payments',
      instance: 'payments-short-inbox-retention',
      port: await freePort(),
      // The e2e broker keeps messages for 24 hours: an inbox that forgets after one could be redelivered to.
      env: {
        ...system.kafkaEnvironment('payments'),
        DATABASE_URL: system.environment.databaseUrl,
        DATABASE_NAME: `${system.environment.databasePrefix}_payments`,
        INBOX_RETENTION_MS: String(60 * 60 * 1000),
      },
      logDir: system.environment.logDir,
    });
    try {
      const ready = await notReadyAnswer(forgetful, { timeoutMs: 90_000, intervalMs: 250 }, 'INBOX_RETENTION_MS');
      expect(JSON.parse(ready)).toMatchObject({
        status: 'error',
        service: 'payments',
        error: {
          configuration: {
            status: 'down',
            problems: [
              expect.stringMatching(
                /^INBOX_RETENTION_MS: 3600000 ms is shorter than \S+'s retention\.ms 86400000 plus INBOX_RETENTION_MARGIN_MS 3600000: set at least 90000000/,
              ),
            ],
          },
        },
      });
      // Found wrong against the broker, it is treated as a bad environment: not retried.
      expect(forgetful.isRunning).toBe(true);
    } finally {
      expect(await forgetful.stop()).toBe(0);
    }
  });

  it('brings up two instances started at once on an empty database, which is migrated once', async () => {
    const database = `${system.environment.databasePrefix}_twins`;
    const twins = await Promise.all(
      ['inventory-twin-a', 'inventory-twin-b'].map(async (instance) =>
        AppProcess.start({
          app: 'inventory',
          instance,
          port: await freePort(),
          env: {
            ...system.kafkaEnvironment('inventory'),
            DATABASE_URL: system.environment.databaseUrl,
            DATABASE_NAME: database,
          },
          logDir: system.environment.logDir,
        }),
      ),
    );
    const client = new Client({ connectionString: databaseUrl(system.environment.databaseUrl, database) });
    try {
      await Promise.all(twins.map((twin) => twin.waitUntilReady()));
      await client.connect();
      const { rows } = await client.query<{ name: string; runs: number }>(
        'SELECT name, count(*)::int AS runs FROM migrations GROUP BY name',
      );
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.filter((row) => row.runs !== 1)).toEqual([]);
      // They took turns (the migration lock): neither failed on the other's half-made schema and retried.
      for (const twin of twins) expect(fs.readFileSync(twin.logFile, 'utf8')).not.toContain('cannot start');
    } finally {
      await client.end();
      for (const twin of twins) expect(await twin.stop()).toBe(0);
      await dropDatabase(system.environment.databaseUrl, database);
    }
  });

  it('keeps an app that cannot reach its broker not ready while it retries, and stops it cleanly', async () => {
    const nobodyListens = await freePort();
    const waiting = await AppProcess.start({
      app: 'gateway',
      instance: 'gateway-unreachable-broker',
      port: await freePort(),
      env: { KAFKA_BROKERS: `127.0.0.1:${nobodyListens}` },
      logDir: system.environment.logDir,
    });
    try {
      // After the first failed attempt it answers its probes while it waits to try again.
      const ready = await notReadyAnswer(waiting, { timeoutMs: 90_000, intervalMs: 250 }, `127.0.0.1:${nobodyListens}`);
      expect(ready).toContain(`127.0.0.1:${nobodyListens}`);
      expect(waiting.isRunning).toBe(true);
    } finally {
      // SIGTERM between attempts: an exit of its own (0), not death by the signal (143).
      expect(await waiting.stop()).toBe(0);
    }
    const lines = fs.readFileSync(waiting.logFile, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ service: 'gateway', msg: 'SIGTERM while starting: stopping' });
  });

  it('exits at once when its HTTP port is taken, without ever joining its consumer group', async () => {
    const holder = await holdPort(await freePort());
    const port = (holder.address() as { port: number }).port;
    // The gateway's group is its instance's own: one this test alone can see appear.
    const instance = `gateway-port-taken-${randomUUID().slice(0, 8)}`;
    const blocked = await AppProcess.start({
      app: 'gateway',
      instance,
      port,
      env: { ...system.kafkaEnvironment('gateway'), ...gatewayIdentityEnvironment(system.environment.issuerUrl) },
      logDir: system.environment.logDir,
    });
    try {
      await eventually(() => expect(blocked.isRunning).toBe(false), { timeoutMs: 60_000, intervalMs: 100 });
      expect(await blocked.exited).toBe(1);
    } finally {
      await blocked.stop();
      await new Promise((closed) => holder.close(closed));
    }
    const lines = fs.readFileSync(blocked.logFile, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      service: 'gateway',
      msg: `gateway cannot listen on port ${port}: another process uses it (EADDRINUSE); exiting`,
    });
    const admin = system.kafka.admin();
    await admin.connect();
    try {
      // A group that was joined and left is Empty; one no member ever joined does not exist (Dead).
      const { groups } = await admin.describeGroups([`gateway-${instance}-server`]);
      expect(groups).toEqual([expect.objectContaining({ state: 'Dead', members: [] })]);
    } finally {
      await admin.disconnect();
    }
  });

  it('built the file the Dockerfile starts, for every app', () => {
    for (const app of appNames) {
      const entry = `dist/${nestCli().projects[app].entryFile}.js`;
      expect({ app, exists: fs.existsSync(path.join(REPO_ROOT, entry)) }).toEqual({ app, exists: true });
    }
  });
});

/** A listener on `port` of another process's, as a second `npm start` finds it. */
function holdPort(port: number): Promise<Server> {
  return new Promise((listening, failed) => {
    const server = createServer();
    server.once('error', failed);
    server.listen(port, () => listening(server));
  });
}

/**
 * What an app's `/health/ready` says once it answers 503 (not ready) with `reason` in it, waiting until
 * it does: until its first attempt fails, an app answers "starting".
 */
function notReadyAnswer(app: AppProcess, options: EventuallyOptions, reason = ''): Promise<string> {
  return eventually(async () => {
    const response = await fetch(`${app.url}/health/ready`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain(reason);
    return text;
  }, options);
}
