import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppProcess } from '../../tools/system/app-process';
import { streamAppCommand, StreamAppName } from '../../tools/system/streams-apps';
import { eventually } from '../support/eventually';

/**
 * The stream processor that global setup started for this run, found by its state directory (which
 * lies in this run's folder), so that a suite can crash it and start it again with the same settings.
 */
export class StreamsProcessOfThisRun {
  constructor(
    readonly pid: number,
    private readonly env: Record<string, string>,
  ) {}

  static find(app: StreamAppName, logDir: string): StreamsProcessOfThisRun {
    const stateDir = resolve(dirname(logDir), 'streams');
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (!cmdline.includes(`${app}.jar`)) continue;
        const env = Object.fromEntries(
          readFileSync(`/proc/${entry}/environ`, 'utf8')
            .split('\0')
            .filter((line) => line.includes('='))
            .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
        );
        if (resolve(env.STATE_DIR ?? '').startsWith(stateDir)) return new StreamsProcessOfThisRun(Number(entry), env);
      } catch {
        // gone meanwhile, or not ours to read
      }
    }
    throw new Error(`no ${app} process with its state in ${stateDir}`);
  }

  /** A crash: no shutdown hook, no transaction committed or aborted, no goodbye to the group. */
  async kill(): Promise<void> {
    process.kill(this.pid, 'SIGKILL');
    await eventually(() => expect(isAlive(this.pid)).toBe(false), { timeoutMs: 10_000, intervalMs: 50 });
  }

  /** Starts it again on the same port, state directory and instance id; resolves once it is RUNNING. */
  async restart(app: StreamAppName, logDir: string): Promise<AppProcess> {
    const started = await AppProcess.start({
      app,
      instance: this.env.INSTANCE_ID,
      port: Number(this.env.HTTP_PORT),
      command: streamAppCommand(app),
      logDir,
      env: this.env,
    });
    await started.waitUntilReady(120_000);
    return started;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
