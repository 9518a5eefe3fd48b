import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appNames, appPorts, managementPortOf } from './apps';
import { freePort } from './free-port';
import { identityApp } from './identity-app';
import { repositoryRoot } from './repository-root';
import { portsNeededByStart, PortsTakenError, refuseTakenPorts } from './start-ports';
import { streamAppPorts } from './streams-apps';

describe('the ports npm start needs', () => {
  const noBrokerHere = mkdtempSync(join(tmpdir(), 'orderflow-no-broker-'));
  const brokersBefore = process.env.KAFKA_BROKERS;

  afterEach(() => {
    if (brokersBefore === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = brokersBefore;
  });

  it("are every app's HTTP and management port, the provider's, the processors' and the broker's it starts", async () => {
    delete process.env.KAFKA_BROKERS;
    const ports = (await portsNeededByStart(noBrokerHere)).map(({ port }) => port);
    const expected = [
      9092,
      9093,
      identityApp.port,
      ...appNames.flatMap((app) => [appPorts[app], managementPortOf(app)]),
      ...Object.values(streamAppPorts),
    ];
    expect([...ports].sort()).toEqual([...expected].sort());
  });

  it('leave out the broker when it uses a cluster of KAFKA_BROKERS', async () => {
    process.env.KAFKA_BROKERS = 'kafka-1:9092';
    const uses = (await portsNeededByStart(noBrokerHere)).map(({ use }) => use);
    expect(uses).not.toContain('Kafka');
    expect(uses).toContain('gateway');
  });

  it('are refused in one line naming each taken port and its use, and only those', async () => {
    const held = await hold(await freePort());
    const free = await freePort();
    try {
      const refusal = refuseTakenPorts([
        { port: held.port, use: 'gateway' },
        { port: free, use: 'gateway metrics' },
      ]);
      await expect(refusal).rejects.toThrow(PortsTakenError);
      await expect(refusal).rejects.toThrow(
        `npm start: nothing started: port ${held.port} (gateway) is in use. Is Orderflow already running?`,
      );
      const { message } = (await refusal.catch((error: unknown) => error)) as Error;
      expect(message).not.toContain(String(free));
      expect(message).not.toContain('\n');
    } finally {
      await held.close();
    }
  });
});

describe('npm start’s first step (start-check.ts)', () => {
  it('exits 1 with one line, before anything is started, when a port it needs is taken', async () => {
    // The provider's default port: this test's own listener, or another's if one already runs here.
    const held = await hold(identityApp.port).catch(() => undefined);
    try {
      const tsx = join(repositoryRoot(), 'node_modules', '.bin', 'tsx');
      const run = promisify(execFile)(tsx, ['tools/system/start-check.ts'], { cwd: repositoryRoot() });
      const failure = (await run.then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (error: unknown) => error,
      )) as { code: number; stdout: string; stderr: string };
      expect(failure.code).toBe(1);
      expect(failure.stdout).toBe('');
      expect(failure.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^npm start: nothing started: ports? .*\\b${identityApp.port} \\(identity\\).* in use\\.`),
        ),
      ]);
    } finally {
      await held?.close();
    }
  }, 120_000); // A process of its own (tsx compiles it): seconds on a quiet machine, far more on a loaded one.
});

function hold(port: number): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((listening, failed) => {
    const server: Server = createServer();
    server.once('error', failed);
    server.listen(port, () =>
      listening({ port, close: () => new Promise<void>((closed) => server.close(() => closed())) }),
    );
  });
}
