import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../tools/system/free-port';

const run = promisify(execFile);

/** Debian's layout (CI and this machine); elsewhere the binaries must be on PATH. */
const DEBIAN_POSTGRES = '/usr/lib/postgresql';
/** PostgreSQL refuses to run as root: as root, its commands run as this system user. */
const POSTGRES_USER = 'postgres';

export type PostgresStopMode = 'fast' | 'immediate';

/**
 * A PostgreSQL cluster of the suite's own, made with `initdb` in `dir` on a free port, so that a
 * test may stop it (the database goes away) without disturbing anything else on the machine.
 */
export class ThrowawayPostgres {
  private constructor(
    private readonly binDir: string | undefined,
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  /** Trust authentication for `postgres`, listening on 127.0.0.1 only, no Unix socket. */
  static async create(dir: string): Promise<ThrowawayPostgres> {
    await mkdir(dir, { recursive: true });
    if (isRoot()) {
      const { stdout } = await run('id', ['-u', POSTGRES_USER]);
      const { stdout: group } = await run('id', ['-g', POSTGRES_USER]);
      await chown(dir, Number(stdout.trim()), Number(group.trim()));
    }
    const postgres = new ThrowawayPostgres(newestBinDir(), join(dir, 'data'), await freePort());
    await postgres.command('initdb', [
      '-D',
      postgres.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await postgres.start();
    return postgres;
  }

  /** The server URL, maintenance database `postgres`. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      "-c unix_socket_directories=''",
      // Throw-away data: durability on a crash of the machine is not what the suite tests.
      '-c fsync=off',
      '-c max_connections=200',
    ].join(' ');
    await this.command('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dataDir, '..', 'postgres.log'),
      '-w',
      '-o',
      options,
      'start',
    ]);
  }

  /** `fast` rolls back open transactions and closes connections; `immediate` is a crash (recovery at start). */
  async stop(mode: PostgresStopMode): Promise<void> {
    await this.command('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
  }

  /** Stops the cluster if it runs and deletes its files. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.stop('immediate').catch(() => undefined);
    await rm(join(this.dataDir, '..'), { recursive: true, force: true });
  }

  private async command(name: string, args: string[]): Promise<void> {
    const executable = this.binDir ? join(this.binDir, name) : name;
    const [file, argv] = isRoot() ? ['runuser', ['-u', POSTGRES_USER, '--', executable, ...args]] : [executable, args];
    try {
      // The server's own output goes to its log file; the cwd must be readable by the postgres user.
      await run(file, argv, { cwd: '/', timeout: 60_000 });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${name} ${args.join(' ')} failed: ${(stderr || stdout || String(error)).trim()}`, {
        cause: error,
      });
    }
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The newest PostgreSQL under Debian's layout, or undefined: the commands are on PATH. */
function newestBinDir(): string | undefined {
  if (!existsSync(DEBIAN_POSTGRES)) return undefined;
  const versions = readdirSync(DEBIAN_POSTGRES)
    .filter((version) => existsSync(join(DEBIAN_POSTGRES, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(DEBIAN_POSTGRES, versions[0], 'bin') : undefined;
}
