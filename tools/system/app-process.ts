import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppName, builtEntryPoint, cpuProfileOptions, nodeOptions } from './apps';
import { freePort } from './free-port';
import { waitUntilReady } from './readiness';
import { repositoryRoot } from './repository-root';
import { StreamAppName } from './streams-apps';

export interface AppLaunch {
  app: AppName | StreamAppName | 'identity';
  /** What to run instead of the app's built Node entry point (the JVM of a Kafka Streams app, the identity provider). */
  command?: { executable: string; args: string[] };
  /** Distinguishes several instances of one app (two gateways). */
  instance: string;
  port: number;
  /** A Nest app's MANAGEMENT_PORT (`/metrics`); a free one when not given. None for a stream app. */
  managementPort?: number;
  env: Record<string, string>;
  logDir: string;
}

function nodeCommand(app: AppName): { executable: string; args: string[] } {
  return {
    executable: process.execPath,
    args: [...nodeOptions, ...cpuProfileOptions(app), join(repositoryRoot(), builtEntryPoint(app))],
  };
}

/** One app running as its own Node process, as in production: built code, environment, signals. */
export class AppProcess {
  private constructor(
    readonly launch: AppLaunch,
    private readonly child: ChildProcess,
    readonly exited: Promise<number | null>,
  ) {}

  static async start(requested: AppLaunch): Promise<AppProcess> {
    // A Nest app's management port is always given: its default could be taken by another run on this machine.
    const launch =
      requested.command || requested.managementPort !== undefined
        ? requested
        : { ...requested, managementPort: await freePort() };
    const { executable, args } = launch.command ?? nodeCommand(launch.app as AppName);
    const entryPoint = args.at(-1) ?? executable;
    if (!existsSync(entryPoint)) throw new Error(`${entryPoint} is missing: build it first (npm run build)`);
    await mkdir(launch.logDir, { recursive: true });
    const log = createWriteStream(join(launch.logDir, `${launch.instance}.log`), { flags: 'a' });
    const child = spawn(executable, args, {
      cwd: repositoryRoot(),
      env: {
        ...process.env,
        ...launch.env,
        HTTP_PORT: String(launch.port),
        ...(launch.managementPort !== undefined ? { MANAGEMENT_PORT: String(launch.managementPort) } : {}),
        INSTANCE_ID: launch.instance,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    // Exited once its output is in the log file: 'close' comes after both pipes have ended ('exit' may
    // come before the last lines are read), and the file is ended when they are written.
    const exited = new Promise<number | null>((done) => child.once('close', (code) => log.end(() => done(code))));
    return new AppProcess(launch, child, exited);
  }

  get name(): string {
    return this.launch.instance;
  }

  get url(): string {
    return `http://127.0.0.1:${this.launch.port}`;
  }

  /** Where a Nest app serves `/metrics` (its management port). */
  get managementUrl(): string {
    if (this.launch.managementPort === undefined) throw new Error(`${this.name} has no management port`);
    return `http://127.0.0.1:${this.launch.managementPort}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Waits for `GET /health/ready` to answer 200 from this process (the pid in its `x-process-id`):
   * another process on the port, such as an app of a second `npm start`, is not this one being up.
   * Fails at once if the process exits first. A failure says why: the last readiness answer and the
   * end of the app's log, so that a CI log explains itself.
   */
  async waitUntilReady(timeoutMs = 120_000): Promise<void> {
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    await waitUntilReady({
      name: this.name,
      url: this.url,
      timeoutMs,
      exited: () => (exitCode === undefined ? undefined : `code ${exitCode}`),
      foreignAnswer: (response) => {
        const answeredBy = response.headers.get('x-process-id');
        return answeredBy === String(this.child.pid)
          ? undefined
          : `from process ${answeredBy ?? '(unnamed)'}, not ${this.child.pid}`;
      },
      details: () => this.logTail(),
    });
  }

  /** The last lines of the app's log, for an error message. */
  private logTail(lines = 25): string {
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').trimEnd().split('\n') : [];
    const tail = log.slice(-lines).map((line) => `    ${line.slice(0, 400)}`);
    return `; see ${this.logFile}, which ends:\n${tail.join('\n')}`;
  }

  get logFile(): string {
    return join(this.launch.logDir, `${this.launch.instance}.log`);
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (!this.isRunning) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A crash: no shutdown hooks, no goodbye to the consumer group. */
  async kill(): Promise<void> {
    if (!this.isRunning) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
