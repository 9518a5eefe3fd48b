import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from './app-process';
import { freePort } from './free-port';

/** Stand-ins for an app: one that answers its probe itself, one that never listens. */
const scripts = mkdtempSync(join(tmpdir(), 'orderflow-app-process-'));
const answersItself = join(scripts, 'answers-itself.js');
writeFileSync(
  answersItself,
  `require('node:http').createServer((request, response) =>
     response.writeHead(200, { 'x-process-id': String(process.pid) }).end('{"status":"ok"}'),
   ).listen(Number(process.env.HTTP_PORT));
   process.on('SIGTERM', () => process.exit(0));`,
);
const exitsAtOnce = join(scripts, 'exits-at-once.js');
writeFileSync(exitsAtOnce, `process.exit(3);`);
const neverListens = join(scripts, 'never-listens.js');
writeFileSync(neverListens, `setInterval(() => undefined, 1000); process.on('SIGTERM', () => process.exit(0));`);

async function startScript(script: string, port: number): Promise<AppProcess> {
  return AppProcess.start({
    app: 'identity',
    instance: `stand-in-${port}`,
    port,
    command: { executable: process.execPath, args: [script] },
    env: {},
    logDir: scripts,
  });
}

describe('AppProcess.waitUntilReady', () => {
  it('counts the process as up once it answers its readiness probe itself', async () => {
    const app = await startScript(answersItself, await freePort());
    try {
      await expect(app.waitUntilReady(20_000)).resolves.toBeUndefined();
    } finally {
      await app.stop();
    }
  });

  it('fails at once, not at its deadline, when the process exits before it is ready', async () => {
    const app = await startScript(exitsAtOnce, await freePort());
    await expect(app.waitUntilReady(60_000)).rejects.toThrow(/exited with code 3 before it was ready/);
  });

  it('does not count a ready answer from another process on its port', async () => {
    const port = await freePort();
    // Another system's app on the port: ready, but not the child started here.
    const other = createServer((request, response) =>
      response.writeHead(200, { 'x-process-id': String(process.pid) }).end('{"status":"ok"}'),
    );
    await new Promise<void>((listening) => other.listen(port, listening));
    const app = await startScript(neverListens, port);
    try {
      await expect(app.waitUntilReady(1_500)).rejects.toThrow(
        new RegExp(
          `not ready within 1500 ms \\(last /health/ready: 200 .*from process ${process.pid}, not ${app.pid}\\)`,
        ),
      );
    } finally {
      await app.stop();
      await new Promise((closed) => other.close(closed));
    }
  });
});
