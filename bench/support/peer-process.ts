import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { cpuProfileOptions } from '../../tools/system/apps';
import { PeerReport } from '../peers/peer-protocol';

let peersStarted = 0;

/** A benchmark peer (compiled, in dist/bench/peers) running as its own process. */
export class PeerProcess {
  private readonly reports: PeerReport[] = [];
  private readonly waiters: (() => void)[] = [];

  private constructor(private readonly child: ChildProcess) {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      this.reports.push(JSON.parse(line) as PeerReport);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static start(peer: string, args: string[], env: Record<string, string> = {}): PeerProcess {
    const entry = resolve(__dirname, '../peers', `${peer}.js`);
    peersStarted += 1;
    const profiling = cpuProfileOptions(`${peer}-${peersStarted}`);
    const child = spawn(process.execPath, [...profiling, entry, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new PeerProcess(child);
  }

  /** Waits for the first report that matches, failing after `timeoutMs` or if the peer exits. */
  async next<T extends PeerReport>(matches: (report: PeerReport) => report is T, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.reports.find(matches);
      if (found) return found;
      if (this.child.exitCode !== null) throw new Error(`peer exited with code ${this.child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`peer did not report within ${timeoutMs} ms`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 500);
      });
    }
  }

  ready(timeoutMs = 60_000): Promise<PeerReport> {
    return this.next((report): report is { ready: true } => 'ready' in report, timeoutMs);
  }

  done(timeoutMs: number): Promise<{ done: true; count: number; firstAt: number; lastAt: number }> {
    return this.next(
      (report): report is { done: true; count: number; firstAt: number; lastAt: number } => 'done' in report,
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await new Promise((done) => this.child.once('exit', done));
    clearTimeout(killer);
  }
}
