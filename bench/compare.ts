import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { kafkaVersion } from '../tools/kafka/broker';
import { streamAppNames } from '../tools/system/streams-apps';
import { CompareOptions, parseCompareArgs } from './compare-args';
import { sideEnvironment } from './compare-environment';
import { SagaFigures, sagaFiguresOf } from './compare-report';
import { comparisonRows, renderComparison } from './compare-table';

const run = promisify(execFile);

interface Side {
  name: 'old' | 'new';
  commit: string;
  directory: string;
  runs: SagaFigures[];
}

/**
 * `npm run bench -- compare <ref>`: the saga benchmark of <ref> and of HEAD (committed state), each
 * from a clean worktree of its own installed as a clean clone is (npm ci), run alternately
 * old, new, old, new on the same Node, then both sides' medians and their ratio (issue 21).
 */
export async function compareBenchmark(args: readonly string[]): Promise<void> {
  const options = parseCompareArgs(args);
  const repository = (await git(process.cwd(), 'rev-parse', '--show-toplevel')).trim();
  const oldCommit = (await git(repository, 'rev-parse', '--verify', `${options.ref}^{commit}`)).trim();
  const newCommit = (await git(repository, 'rev-parse', '--verify', 'HEAD^{commit}')).trim();
  if ((await git(repository, 'status', '--porcelain', '--untracked-files=no')).trim() !== '') {
    console.log('note: uncommitted changes are not measured; the new side is HEAD as committed');
  }
  if (process.env.KAFKA_BROKERS) console.log('note: KAFKA_BROKERS is ignored; each run starts a broker of its own');
  const workspace = await mkdtemp(join(tmpdir(), 'orderflow-compare-'));
  const sides: Side[] = [
    { name: 'old', commit: oldCommit, directory: join(workspace, 'old'), runs: [] },
    { name: 'new', commit: newCommit, directory: join(workspace, 'new'), runs: [] },
  ];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDirectory = resolve(process.cwd(), 'bench/results', `compare-${stamp}`);
  const interruption = new Interruption();
  try {
    for (const side of sides) await git(repository, 'worktree', 'add', '--detach', side.directory, side.commit);
    const [old, current] = sides;
    const nodeBin = (await run('bash', ['tools/node/node24.sh'], { cwd: current.directory })).stdout.trim();
    const environment = sideEnvironment(process.env, nodeBin);
    for (const side of sides) {
      interruption.check();
      console.log(`\n== ${describe(side)}: npm ci`);
      await interruption.watch(spawnInherited('npm', ['ci', '--no-audit', '--no-fund'], side.directory, environment));
    }
    const versions = await Promise.all(sides.map((side) => kafkaVersion(join(side.directory, 'tools/kafka/pom.xml'))));
    const sameKafka = versions[0] === versions[1];
    console.log(
      `Kafka ${versions.join(' / ')}: ${sameKafka ? 'one jar download, shared' : 'each side resolves its own jars'}`,
    );
    await mkdir(resultsDirectory, { recursive: true });
    const runs: { side: string; round: number; file: string; loadAverage: number[] }[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const side of sides) {
        interruption.check();
        const loadAverage = loadavg().map((load) => Math.round(load * 100) / 100);
        console.log(
          `\n== ${describe(side)}, round ${round} of ${options.rounds}: npm run bench -- saga${options.quick ? ' --quick' : ''}` +
            ` (load average ${loadAverage.join(', ')})`,
        );
        const file = await runSaga(side, options, environment, interruption);
        const kept = join(resultsDirectory, `${side.name}-${round}.json`);
        await cp(file, kept);
        side.runs.push(sagaFiguresOf(JSON.parse(await readFile(file, 'utf8')), kept, isStreamProcessor));
        runs.push({ side: side.name, round, file: kept, loadAverage });
        if (sameKafka)
          await shareKafkaJars(
            side,
            sides.find((other) => other !== side)!,
          );
      }
    }
    const nodes = new Set(sides.flatMap((side) => side.runs.map((figures) => figures.node)));
    if (nodes.size !== 1) throw new Error(`the runs used different Node versions: ${[...nodes].join(', ')}`);
    const rows = comparisonRows(old.runs, current.runs);
    const rounds = `median of ${options.rounds}`;
    console.log(
      `\n== saga, ${options.ref} (${short(oldCommit)}) against HEAD (${short(newCommit)}), Node ${[...nodes][0]}, ` +
        `alternating rounds${options.quick ? ', quick: not a result, only a check that the comparison works' : ''}`,
    );
    console.log(
      renderComparison(rows, {
        old: `old ${short(oldCommit)} (${rounds})`,
        new: `new ${short(newCommit)} (${rounds})`,
      }),
    );
    const summary = {
      old: { ref: options.ref, commit: oldCommit },
      new: { commit: newCommit },
      ...options,
      runs,
      rows,
    };
    await writeFile(join(resultsDirectory, 'comparison.json'), JSON.stringify(summary, null, 2));
    console.log(`\nevery run's report and the comparison are in ${resultsDirectory}`);
  } finally {
    await stopLeftovers(workspace);
    await rm(workspace, { recursive: true, force: true });
    await git(repository, 'worktree', 'prune');
    interruption.release();
  }
}

/** One run of the side's own benchmark; returns the results file it wrote. */
async function runSaga(
  side: Side,
  options: CompareOptions,
  environment: NodeJS.ProcessEnv,
  interruption: Interruption,
): Promise<string> {
  const results = join(side.directory, 'bench/results');
  const before = new Set(await jsonFiles(results));
  const args = ['run', 'bench', '--', 'saga', ...(options.quick ? ['--quick'] : [])];
  await interruption.watch(spawnInherited('npm', args, side.directory, environment));
  const written = (await jsonFiles(results)).filter((file) => !before.has(file));
  if (written.length !== 1) throw new Error(`${describe(side)} wrote ${written.length} results files, not one`);
  return join(results, written[0]);
}

async function jsonFiles(directory: string): Promise<string[]> {
  const files = await readdir(directory).catch(() => []);
  return files.filter((file) => file.endsWith('.json'));
}

/** Kafka Streams instances are named after their app (`order-analytics-1`); every other instance is a Node app. */
function isStreamProcessor(instance: string): boolean {
  return streamAppNames.some((app) => instance === app || instance.startsWith(`${app}-`));
}

/** With the same Kafka version on both sides the jars one resolved serve the other (hard links). */
async function shareKafkaJars(from: Side, to: Side): Promise<void> {
  const source = join(from.directory, 'tools/kafka/lib');
  const target = join(to.directory, 'tools/kafka/lib');
  const exists = (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );
  if (!(await exists(join(source, '.resolved'))) || (await exists(target))) return;
  await run('cp', ['-al', source, target]);
}

/**
 * Brokers are started detached, so an interrupted run can leave one (and apps) behind in the
 * worktree about to be removed: stop every process whose command line names the workspace.
 */
async function stopLeftovers(workspace: string): Promise<void> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const directory = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (commandLine.includes(workspace) || directory.startsWith(workspace)) pids.push(pid);
  }
  for (const pid of pids) {
    console.log(`stopping process ${pid}, left running in ${workspace}`);
    signal(pid, 'SIGTERM');
  }
  const deadline = Date.now() + 20_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 200));
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  return signal(pid, 0);
}

function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ctrl-C reaches the running child too (same process group); a signal sent to this process alone is
 * passed on. Either way no further step starts, and the worktrees are removed before exiting.
 */
class Interruption {
  private signalName?: NodeJS.Signals;
  private child?: ReturnType<typeof spawn>;
  private readonly onSignal = (name: NodeJS.Signals) => {
    this.signalName = name;
    this.child?.kill(name);
  };

  constructor() {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  async watch(child: { process: ReturnType<typeof spawn>; exited: Promise<void> }): Promise<void> {
    this.child = child.process;
    try {
      await child.exited;
    } catch (error) {
      this.check(); // a child stopped by the signal failed because of it: say so, not its exit code
      throw error;
    } finally {
      this.child = undefined;
    }
    this.check();
  }

  check(): void {
    if (this.signalName) throw new Error(`interrupted (${this.signalName})`);
  }

  release(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    if (this.signalName) process.exitCode = 130;
  }
}

function spawnInherited(
  command: string,
  args: string[],
  directory: string,
  environment: NodeJS.ProcessEnv,
): { process: ReturnType<typeof spawn>; exited: Promise<void> } {
  const child = spawn(command, args, { cwd: directory, env: environment, stdio: 'inherit' });
  const exited = new Promise<void>((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signalName) =>
      code === 0
        ? done()
        : fail(new Error(`${command} ${args.join(' ')} in ${directory} ended with ${code ?? signalName}`)),
    );
  });
  return { process: child, exited };
}

async function git(directory: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd: directory })).stdout;
}

function describe(side: Side): string {
  return `${side.name} (${short(side.commit)})`;
}

function short(commit: string): string {
  return commit.slice(0, 7);
}
