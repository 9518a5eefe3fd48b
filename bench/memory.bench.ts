import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runningPid } from '../tools/kafka/broker';
import { appNames } from '../tools/system/apps';
import { repositoryRoot } from '../tools/system/repository-root';
import { streamAppNames } from '../tools/system/streams-apps';
import { processTree, ResidentMemory, residentMemory, runningProcesses } from './support/resident-memory';
import { BenchEnvironment } from './support/bench-environment';
import { round } from './support/statistics';
import { Targets } from './targets';

/** How long the system idles after "Orderflow is up" before it is measured. */
const SETTLE_SECONDS = { full: 30, quick: 10 } as const;
const UP_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_MS = 60_000;

/** One process of the system, what it is and what it holds. */
export interface MeasuredProcess extends ResidentMemory {
  /** An app's name, `identity`, a stream processor's name, `broker`, `database`, or `launcher`. */
  role: string;
  pid: number;
}

export interface MemoryReport {
  name: 'memory';
  settleSeconds: number;
  processes: MeasuredProcess[];
  /** Summed over every process: each shared page once (PSS), and once per process mapping it (RSS). */
  system: ResidentMemory;
  /** By role: the apps and the identity provider one each; the launcher, the broker and the database summed. */
  byRole: (ResidentMemory & { role: string; processes: number })[];
  target: string;
}

/**
 * `npm start` as on a fresh machine (its data in a directory of its own, no DATABASE_URL, no
 * KAFKA_BROKERS: its own broker and local PostgreSQL), idle for a while after "Orderflow is up", then
 * every process it runs is measured: npm and the start script, each app, the identity provider, the
 * stream processor, the broker and the database server with its backends. Stopped with Ctrl-C's signal.
 * It takes `npm start`'s ports, so nothing else may hold them (an `npm start` of your own).
 */
export async function memoryBenchmark(environment: BenchEnvironment): Promise<MemoryReport> {
  const settleSeconds = environment.quick ? SETTLE_SECONDS.quick : SETTLE_SECONDS.full;
  const dataDir = join(environment.runDir, 'npm-start');
  await mkdir(dataDir, { recursive: true });
  const start = startAsOnAFreshMachine(dataDir);
  try {
    await upOrExited(start);
    console.log(`the system is up; measuring it after ${settleSeconds} s idle`);
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
    const processes = await systemProcesses(start.child.pid!, dataDir);
    return report(processes, settleSeconds);
  } finally {
    await stop(start.child, dataDir);
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface StartedSystem {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

function startAsOnAFreshMachine(dataDir: string): StartedSystem {
  // Not the benchmark's broker, database or principal: npm start's own, as for a new user.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(KAFKA_|DATABASE_URL$|ORDERFLOW_CPU_PROFILE_DIR$)/.test(name)),
  );
  const child = spawn('npm', ['start'], {
    cwd: repositoryRoot(),
    env: { ...env, ORDERFLOW_DATA_DIR: dataDir },
    // A session of its own, as a terminal gives it: the stop signal goes to all of it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString());
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output, exited };
}

async function upOrExited({ output, exited }: StartedSystem): Promise<void> {
  const deadline = Date.now() + UP_TIMEOUT_MS;
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  while (!output.join('').includes('Orderflow is up')) {
    if (hasExited || Date.now() > deadline) {
      throw new Error(
        `npm start ${hasExited ? 'exited' : `was not up within ${UP_TIMEOUT_MS / 1000} s`}; its output:\n${output.join('').slice(-4000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Everything in npm start's session, and the broker's and the database server's process trees. */
async function systemProcesses(sessionId: number, dataDir: string): Promise<MeasuredProcess[]> {
  const all = runningProcesses();
  const brokerPid = await runningPid(join(dataDir, 'kafka'));
  const postmasterPid = postmasterPidOf(dataDir);
  if (!brokerPid || !postmasterPid)
    throw new Error(`npm start's broker or database server (in ${dataDir}) is not running`);
  const roles = new Map<number, string>();
  for (const entry of all.filter((candidate) => candidate.sessionId === sessionId)) {
    roles.set(entry.pid, roleOf(entry.commandLine));
  }
  for (const entry of processTree(all, brokerPid)) roles.set(entry.pid, 'broker');
  for (const entry of processTree(all, postmasterPid)) roles.set(entry.pid, 'database');
  return [...roles].flatMap(([pid, role]) => {
    try {
      return [{ role, pid, ...residentMemory(pid) }];
    } catch {
      return []; // a database backend that ended meanwhile
    }
  });
}

function roleOf(commandLine: string): string {
  const app = appNames.find((name) => commandLine.includes(`/dist/apps/${name}/`));
  if (app) return app;
  if (commandLine.includes('dist/tools/identity/')) return 'identity';
  const streamApp = streamAppNames.find((name) => commandLine.includes(`${name}.jar`));
  return streamApp ?? 'launcher';
}

function report(processes: MeasuredProcess[], settleSeconds: number): MemoryReport {
  const sum = (members: readonly ResidentMemory[]): ResidentMemory => ({
    rssMb: round(
      members.reduce((total, member) => total + member.rssMb, 0),
      1,
    ),
    pssMb: round(
      members.reduce((total, member) => total + member.pssMb, 0),
      1,
    ),
  });
  const roles = [...new Set(processes.map((entry) => entry.role))];
  return {
    name: 'memory',
    settleSeconds,
    processes: processes.map((entry) => ({ ...entry, rssMb: round(entry.rssMb, 1), pssMb: round(entry.pssMb, 1) })),
    system: sum(processes),
    byRole: roles.map((role) => {
      const members = processes.filter((entry) => entry.role === role);
      return { role, processes: members.length, ...sum(members) };
    }),
    target:
      `the whole system ≤ ${Targets.systemResidentMb} MB resident (each page once; RSS summed per process beside it), ` +
      `each app < ${Targets.idleRssMb} MB RSS idle`,
  };
}

/** As Ctrl-C: the whole session; then whatever is left of it, the broker and the database, by force. */
async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  try {
    process.kill(-child.pid!, 'SIGINT');
  } catch {
    return; // already gone
  }
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise((resolve) => setTimeout(() => resolve(true), STOP_TIMEOUT_MS).unref()),
  ]);
  if (!timedOut) return;
  console.error(`npm start did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing what is left of it`);
  for (const entry of runningProcesses().filter((candidate) => candidate.sessionId === child.pid)) {
    process.kill(entry.pid, 'SIGKILL');
  }
  const brokerPid = await runningPid(join(dataDir, 'kafka'));
  if (brokerPid) process.kill(brokerPid, 'SIGKILL');
  const postmasterPid = postmasterPidOf(dataDir);
  if (postmasterPid) process.kill(postmasterPid, 'SIGKILL');
}

/** The local PostgreSQL server's pid, from its lock file; none when it is not running. */
function postmasterPidOf(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}
