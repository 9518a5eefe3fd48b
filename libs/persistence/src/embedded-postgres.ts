import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * PGlite keeps shared_buffers at 128MB by default, all of it resident in every service that embeds it.
 * The embedded database holds one service's development data; 16MB is plenty.
 */
const postgresqlConf = ['shared_buffers=16MB'];

/** An embedded PostgreSQL (PGlite) served on a loopback port, so that the ordinary `pg` driver talks to it. */
export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** Stops the server, closes PGlite (flushing to disk) and releases the directory. Idempotent. */
  close(): Promise<void>;
}

/**
 * Runs in a worker thread. PGlite executes SQL synchronously in WebAssembly: in its own thread a long
 * query does not stall the service's event loop (Kafka heartbeats, health checks), and terminating the
 * thread gives its memory back. Plain JavaScript, so that it runs the same from ts-node, Jest or dist/.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const { PGLiteSocketServer } = require(workerData.socketServerPath);
const { pg_trgm } = require(workerData.pgTrgmPath);
(async () => {
  // pg_trgm: trigram matching for search (CREATE EXTENSION needs the extension bundled into PGlite).
  const db = await PGlite.create({
    dataDir: workerData.directory,
    postgresqlconf: workerData.postgresqlConf,
    extensions: { pg_trgm },
  });
  if (workerData.initializeOnly) return db.close();
  // Several connections are allowed only so that a reconnect is not refused while the previous socket
  // is still being torn down; the client's pool of size 1 keeps them strictly one at a time.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  parentPort.once('message', async () => {
    await server.stop();
    await db.close();
    parentPort.close();
  });
  parentPort.postMessage(server.getServerConn());
})().catch((error) => { throw error; });
`;

function startWorker(directory: string, initializeOnly: boolean): Worker {
  return new Worker(workerSource, {
    eval: true,
    workerData: {
      pglitePath: require.resolve('@electric-sql/pglite'),
      socketServerPath: require.resolve('@electric-sql/pglite-socket'),
      pgTrgmPath: require.resolve('@electric-sql/pglite/contrib/pg_trgm'),
      directory,
      postgresqlConf,
      initializeOnly,
    },
  });
}

function exited(worker: Worker, directory: string): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`The embedded database in ${directory} stopped with exit code ${code}`)),
    );
  });
}

/**
 * Opens (creating on first use) the PGlite database in `directory` and serves it on 127.0.0.1 at a free port.
 *
 * PGlite is a single Postgres backend: every client shares one session. Callers must talk to it through
 * ONE connection at a time (a pool of size 1), which is what `prepareDatabase` sets up: pg-pool then
 * hands the connection to one TypeORM query runner at a time, so transactions never interleave.
 */
export async function startEmbeddedPostgres(directory: string): Promise<EmbeddedPostgres> {
  fs.mkdirSync(path.dirname(directory), { recursive: true });
  const releaseLock = acquireDirectoryLock(directory);
  try {
    // initdb's peak of WebAssembly memory is never given back by the thread that ran it: give it a thread of its own.
    if (!fs.existsSync(path.join(directory, 'PG_VERSION'))) await exited(startWorker(directory, true), directory);
    const worker = startWorker(directory, false);
    const stopped = exited(worker, directory);
    const address = await Promise.race([
      new Promise<string>((resolve) => worker.once('message', resolve)),
      stopped.then(() => Promise.reject(new Error(`The embedded database in ${directory} exited before serving`))),
    ]);
    let closing: Promise<void> | undefined;
    return {
      url: `postgres://postgres@${address}/postgres`,
      close: () =>
        (closing ??= (async () => {
          try {
            worker.postMessage('close');
            await stopped;
          } finally {
            releaseLock();
          }
        })()),
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * PGlite has no lock of its own: two processes on one directory would corrupt it.
 * A lock file beside the directory names the holder; a holder that no longer runs is replaced.
 */
function acquireDirectoryLock(directory: string): () => void {
  const lockPath = `${directory}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(fs.readFileSync(lockPath, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new Error(
        `The embedded database ${directory} is in use by process ${holder}. It serves one process at a time: ` +
          `run one instance per service, set DATA_DIR, or set DATABASE_URL (delete ${lockPath} if that process is not Orderflow).`,
      );
    }
    fs.rmSync(lockPath, { force: true });
  }
  throw new Error(`Could not lock the embedded database ${directory}: ${lockPath} keeps reappearing`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
