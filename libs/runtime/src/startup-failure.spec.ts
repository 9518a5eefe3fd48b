import { databaseEnv, environmentProblems, kafkaEnv } from '@orderflow/config';
import { startupLogger } from '@orderflow/observability';
import { z } from 'zod';
import { UnverifiedVersionError } from '@orderflow/messaging';
import { createServer } from 'node:net';
import { holdPortsWhileStarting, Startup, serveBadConfiguration, serveUnverifiedVersions } from './startup-failure';

const port = z.coerce.number().int().min(0).max(65535);
const secret = 'mysql://orderflow:hunter2@db/orders';

describe('serveBadConfiguration', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = startupLogger('orders', { write: (line: string) => lines.push(JSON.parse(line)) });
  const original = { ...process.env };
  beforeEach(() => lines.splice(0));
  afterEach(() => {
    process.env = { ...original };
  });

  function badStart(env: Startup['env'], variables: Record<string, string>) {
    process.env = { ...original, ...variables };
    return { startup: { service: 'orders', env, logger }, problems: environmentProblems(env) };
  }

  it('logs a JSON line per bad variable, then answers not ready on the default port, naming them', async () => {
    // Default 0: the OS picks a free port, as HTTP_PORT itself is bad.
    const schema = z.object({ ...kafkaEnv, ...databaseEnv, HTTP_PORT: port.default(0) });
    const { startup, problems } = badStart(schema, { HTTP_PORT: 'http', KAFKA_BROKERS: '', DATABASE_URL: secret });
    const server = await serveBadConfiguration(startup, problems);
    try {
      expect(server).toBeDefined();
      expect(lines.map(({ variable, level, service }) => ({ variable, level, service }))).toEqual([
        { variable: 'KAFKA_BROKERS', level: 50, service: 'orders' },
        { variable: 'DATABASE_URL', level: 50, service: 'orders' },
        { variable: 'HTTP_PORT', level: 50, service: 'orders' },
        { variable: undefined, level: 50, service: 'orders' },
      ]);
      expect(lines[0].msg).toBe('Invalid configuration: KAFKA_BROKERS: must be a comma-separated list of host:port');
      expect(lines[3].msg).toMatch(/not ready on port \d+ \(its default: HTTP_PORT is bad\) until it is restarted/);

      const base = `http://127.0.0.1:${server!.port}`;
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(503);
      const body = await ready.text();
      expect(JSON.parse(body)).toMatchObject({
        status: 'error',
        service: 'orders',
        error: {
          configuration: {
            status: 'down',
            problems: [
              expect.stringMatching(/^KAFKA_BROKERS: /),
              'DATABASE_URL: must be a postgres:// URL',
              expect.stringMatching(/^HTTP_PORT: /),
            ],
          },
        },
      });
      expect(body + JSON.stringify(lines)).not.toContain('hunter2');
    } finally {
      await server?.close();
    }
  });

  it('says so when there is no port to answer on', async () => {
    const { startup, problems } = badStart(z.object({ HTTP_PORT: port }), { HTTP_PORT: 'http' });
    expect(await serveBadConfiguration(startup, problems)).toBeUndefined();
    expect(lines.at(-1)?.msg).toBe('no valid HTTP_PORT and no default: the probes are not answered');
  });
});

describe('serveUnverifiedVersions', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = startupLogger('orders', { write: (line: string) => lines.push(JSON.parse(line)) });

  it('logs what is installed and what to do, then answers not ready with a dependencies check', async () => {
    const { message } = new UnverifiedVersionError([{ name: 'kafkajs', installed: '2.2.5', verified: '2.2.4' }]);
    const env = z.object({ HTTP_PORT: port.default(0) });
    const server = await serveUnverifiedVersions({ service: 'orders', env, logger }, message);
    try {
      expect(lines[0]).toMatchObject({ level: 50, msg: expect.stringContaining('kafkajs 2.2.5 is installed') });
      const ready = await fetch(`http://127.0.0.1:${server!.port}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        error: {
          dependencies: { status: 'down', message: expect.stringContaining('npm install --save-exact kafkajs@2.2.4') },
        },
      });
    } finally {
      await server?.close();
    }
  });
});

describe('holdPortsWhileStarting', () => {
  const logger = startupLogger('orders', { write: () => undefined });
  const schema = z.object({ HTTP_PORT: port, MANAGEMENT_PORT: port });
  const original = { ...process.env };
  afterEach(() => {
    process.env = { ...original };
  });

  it('holds both ports, answering alive, not ready ("starting") and an empty scrape', async () => {
    process.env = { ...original, HTTP_PORT: '0', MANAGEMENT_PORT: '0' };
    const held = await holdPortsWhileStarting({ service: 'orders', env: schema, logger });
    try {
      const base = `http://127.0.0.1:${held!.port}`;
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ error: { startup: { status: 'down', message: 'starting' } } });
      const scrape = await fetch(`http://127.0.0.1:${held!.managementPort}/metrics`);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toBe('');
    } finally {
      await held?.close();
    }
  });

  it.each(['HTTP_PORT', 'MANAGEMENT_PORT'])(
    'fails with EADDRINUSE when %s is taken, holding nothing',
    async (taken) => {
      const other = createServer();
      await new Promise<void>((listening) => other.listen(0, listening));
      const takenPort = (other.address() as { port: number }).port;
      process.env = { ...original, HTTP_PORT: '0', MANAGEMENT_PORT: '0', [taken]: String(takenPort) };
      try {
        await expect(holdPortsWhileStarting({ service: 'orders', env: schema, logger })).rejects.toMatchObject({
          code: 'EADDRINUSE',
          port: takenPort,
        });
      } finally {
        await new Promise((closed) => other.close(closed));
      }
    },
  );
});
