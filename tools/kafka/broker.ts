/**
 * A real single-node Apache Kafka broker (KRaft, combined broker+controller) run from Kafka's own
 * jars resolved from Maven Central, for local development and the e2e tests. No Docker needed:
 * only Java 17+ and Maven. See tools/kafka/README.md.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { provisionAccess } from './access';
import {
  ADMIN_PROPERTIES_FILE,
  BrokerCredentials,
  clientProperties,
  credentialsFile,
  KafkaCredential,
  missingParticipants,
  newBrokerCredentials,
  readBrokerCredentials,
  scramFormatArgument,
  scramSasl,
  writeBrokerCredentials,
} from './credentials';

/** An expected failure (missing tool, port in use, broker died): callers print the message, no stack. */
export class KafkaToolError extends Error {
  override name = 'KafkaToolError';
}

export interface StartBrokerOptions {
  /** Holds server.properties, the broker's log dirs, its log file and pid file. Reused data is kept. */
  dataDir: string;
  port?: number;
  controllerPort?: number;
  heapMb?: number;
  /** Where the broker's stdout/stderr (its whole log) go; default `<dataDir>/broker.log`. */
  logFile?: string;
  /** How long it may take to answer; default 60 s. A restart after a crash recovers its log first. */
  startTimeoutMs?: number;
}

export interface RunningBroker {
  /** host:port for clients, e.g. `127.0.0.1:9092`. */
  bootstrap: string;
  pid: number;
  dataDir: string;
  /** The admin's and each participant's SASL/SCRAM credentials (also in `<dataDir>/credentials.json`). */
  credentials: BrokerCredentials;
  stop(): Promise<void>;
}

// The source folder, also when this file runs compiled from dist/ (the benchmarks).
const TOOL_DIR = __dirname.replace(/[\\/]dist(-bench)?([\\/]tools[\\/])/, '$2');
const POM = path.join(TOOL_DIR, 'pom.xml');
const LIB_DIR = path.join(TOOL_DIR, 'lib');
const MARKER = path.join(LIB_DIR, '.resolved');
const LOG4J_CONFIG = path.join(TOOL_DIR, 'log4j2.properties');

/** Where `startBroker` listens unless told otherwise: clients, and the KRaft controller. */
export const defaultBrokerPorts = { port: 9092, controllerPort: 9093 } as const;
const DEFAULT_HEAP_MB = 512;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;
const PID_FILE = 'broker.pid';

/** The only place in tools/kafka (besides the CLI) that reads the environment. */
export function externalBrokers(): string | undefined {
  const value = process.env.KAFKA_BROKERS?.trim();
  return value ? value : undefined;
}

/** The Kafka version pinned in pom.xml (or in another pom's `kafka.version`, as the stream processor's). */
export async function kafkaVersion(pomFile = POM): Promise<string> {
  const pom = await readFile(pomFile, 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match) throw new KafkaToolError(`No <kafka.version> in ${pomFile}`);
  return match[1].trim();
}

/**
 * Makes sure tools/kafka/lib holds the jars of the pom, resolving them with Maven if not.
 * The marker stores a hash of the pom, so any edit (a version bump above all) re-resolves.
 */
export async function resolveKafkaJars(): Promise<string> {
  const pom = await readFile(POM, 'utf8');
  const version = await kafkaVersion();
  const wanted = `kafka ${version} pom-sha256 ${createHash('sha256').update(pom).digest('hex')}`;
  if ((await readText(MARKER))?.trim() === wanted) return LIB_DIR;

  await requireJava();
  await requireTool('mvn', ['-v'], 'Maven is required to download the Kafka jars: install maven');
  process.stderr.write(`kafka: resolving Apache Kafka ${version} jars with Maven into ${LIB_DIR} (~60 MB, once)\n`);
  // Stale jars of another version on the same classpath would break the broker in odd ways.
  await rm(LIB_DIR, { recursive: true, force: true });
  await runMaven();
  await writeFile(MARKER, `${wanted}\n`);
  process.stderr.write(`kafka: jars ready\n`);
  return LIB_DIR;
}

export async function startBroker(options: StartBrokerOptions): Promise<RunningBroker> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? defaultBrokerPorts.port;
  await mkdir(dataDir, { recursive: true });
  const node: KafkaNode = {
    dataDir,
    nodeId: 1,
    port,
    controllerPort: options.controllerPort ?? defaultBrokerPorts.controllerPort,
    heapMb: options.heapMb ?? DEFAULT_HEAP_MB,
    logFile: path.resolve(options.logFile ?? path.join(dataDir, 'broker.log')),
    quorum: { kind: 'standalone' },
    replication: { factor: 1, minInsync: 1 },
  };
  await requireNotRunning(dataDir);
  const credentials = await credentialsForStart(dataDir);
  await prepareNode(node, credentials);
  const pid = await launchNode(node);
  const bootstrap = `127.0.0.1:${port}`;
  try {
    await pollUntilReady(bootstrap, credentials.admin, Date.now() + (options.startTimeoutMs ?? START_TIMEOUT_MS), () =>
      isAlive(pid),
    );
    await provisionAccess(bootstrap, credentials);
  } catch (error) {
    await stopBroker(dataDir);
    throw await withLogTail(error, node.logFile);
  }
  return { bootstrap, pid, dataDir, credentials, stop: () => stopBroker(dataDir) };
}

/**
 * How a node finds its controllers: alone it is a dynamic quorum of itself (formatted
 * `--standalone`); in a cluster every node lists the same fixed voters and shares one cluster id.
 */
export type KafkaQuorum =
  | { kind: 'standalone' }
  | { kind: 'voters'; clusterId: string; voters: readonly { nodeId: number; controllerPort: number }[] };

/** One KRaft node (broker and controller in one JVM): a single broker, or one of a cluster's. */
export interface KafkaNode {
  /** Holds its server.properties, log dirs and pid file. */
  dataDir: string;
  nodeId: number;
  port: number;
  controllerPort: number;
  heapMb: number;
  logFile: string;
  quorum: KafkaQuorum;
  /** Replicas of every topic (internal ones too) and how many must be in sync for an acks=all write. */
  replication: { factor: number; minInsync: number };
}

/** Writes the node's properties (on every start) and formats its storage the first time. */
export async function prepareNode(node: KafkaNode, credentials: BrokerCredentials): Promise<void> {
  await requirePortFree(node.port);
  await requirePortFree(node.controllerPort);
  const lib = await resolveKafkaJars();
  await requireJava();
  await mkdir(node.dataDir, { recursive: true });
  await writeFile(path.join(node.dataDir, ADMIN_PROPERTIES_FILE), clientProperties(credentials.admin), { mode: 0o600 });
  const propsFile = path.join(node.dataDir, 'server.properties');
  await writeFile(propsFile, serverProperties(node, credentials), { mode: 0o600 });
  await formatStorageOnce(lib, node, propsFile, credentials);
}

/** Spawns a prepared node, detached, and records its pid; does not wait for it to serve. */
export async function launchNode(node: KafkaNode): Promise<number> {
  const propsFile = path.join(node.dataDir, 'server.properties');
  const pid = await spawnDetached(await resolveKafkaJars(), node.heapMb, propsFile, node.logFile, node.dataDir);
  await writeFile(path.join(node.dataDir, PID_FILE), `${pid}\n`);
  return pid;
}

export async function requireNotRunning(dataDir: string): Promise<void> {
  const existing = await runningPid(dataDir);
  if (existing !== undefined) {
    throw new KafkaToolError(`A Kafka broker (pid ${existing}) already runs from ${dataDir}`);
  }
}

/** A start-up failure with the last lines of the node's log, which say why. */
export async function withLogTail(error: unknown, logFile: string): Promise<KafkaToolError> {
  const reason = error instanceof Error ? error.message : String(error);
  return new KafkaToolError(`${reason}\n--- last lines of ${logFile} ---\n${await tail(logFile, 20)}`);
}

/**
 * A new data dir gets new random credentials, written before the storage is formatted with them. A
 * formatted one keeps its own: its SCRAM users live in the broker's metadata.
 */
async function credentialsForStart(dataDir: string): Promise<BrokerCredentials> {
  const existing = await readBrokerCredentials(dataDir);
  if (!(await isFormatted(dataDir))) {
    const credentials = newBrokerCredentials();
    await writeBrokerCredentials(dataDir, credentials);
    return credentials;
  }
  const reformat = `stop it (npm run kafka:stop) and delete ${dataDir} to start with a fresh broker`;
  if (!existing) {
    throw new KafkaToolError(
      `The broker in ${dataDir} was formatted without SASL users (no ${credentialsFile(dataDir)}): ${reformat}`,
    );
  }
  const missing = missingParticipants(existing);
  if (missing.length > 0) {
    throw new KafkaToolError(`The broker in ${dataDir} has no SASL user for ${missing.join(', ')}: ${reformat}`);
  }
  return existing;
}

/** Stops the broker started from dataDir, if any: SIGTERM (controlled shutdown), SIGKILL after 20 s. */
export async function stopBroker(dataDir: string): Promise<void> {
  const pidFile = path.join(path.resolve(dataDir), PID_FILE);
  const pid = await runningPid(dataDir);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitForExit(pid, STOP_GRACE_MS))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  await rm(pidFile, { force: true });
}

/** A crash of the broker started from dataDir (the fault suite's): SIGKILL, no controlled shutdown. */
export async function killBroker(dataDir: string): Promise<void> {
  const pid = await runningPid(dataDir);
  if (pid !== undefined) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
  await rm(path.join(path.resolve(dataDir), PID_FILE), { force: true });
}

/** Resolves once a metadata request to the broker succeeds; rejects after timeoutMs. */
export async function waitForBroker(bootstrap: string, admin: KafkaCredential, timeoutMs: number): Promise<void> {
  await pollUntilReady(bootstrap, admin, Date.now() + timeoutMs, () => true);
}

/**
 * Resolves once the cluster at `bootstrap` (comma-separated) describes `brokers` live brokers (a
 * fenced one is not listed); rejects when `alive` turns false or after timeoutMs.
 */
export async function waitForBrokers(
  bootstrap: string,
  admin: KafkaCredential,
  o: { brokers: number; timeoutMs: number; alive: () => boolean },
): Promise<void> {
  await pollUntilReady(bootstrap, admin, Date.now() + o.timeoutMs, o.alive, o.brokers);
}

/** The pid of a live broker started from dataDir, or undefined (no pid file, dead, or pid reused). */
export async function runningPid(dataDir: string): Promise<number | undefined> {
  const text = await readText(path.join(path.resolve(dataDir), PID_FILE));
  const pid = Number.parseInt(text ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return (await isKafkaProcess(pid, path.resolve(dataDir))) ? pid : undefined;
}

/** The bootstrap address written into dataDir's server.properties, if there is one. */
export async function configuredBootstrap(dataDir: string): Promise<string | undefined> {
  const props = await readText(path.join(path.resolve(dataDir), 'server.properties'));
  return /^advertised\.listeners=[A-Z_]+:\/\/(.+)$/m.exec(props ?? '')?.[1]?.trim();
}

/** A JAAS line for a properties file; the passwords are URL-safe base64, nothing to escape. */
function jaas(loginModule: string, options: Record<string, string>): string {
  const pairs = Object.entries(options).map(([name, value]) => `${name}="${value}"`);
  return `org.apache.kafka.common.security.${loginModule} required ${pairs.join(' ')};`;
}

/**
 * Clients authenticate with SASL/SCRAM-SHA-512 over plaintext: the broker listens on 127.0.0.1 only,
 * for one machine (production uses TLS, see docs/security.md). The controller listener takes
 * SASL/PLAIN, since SCRAM users live in the very metadata the controller serves. The authorizer
 * refuses whatever no ACL allows; only the admin, the broker and the controller are super users.
 */
function securityProperties(o: { credentials: BrokerCredentials }): string[] {
  const { admin, broker, controller } = o.credentials;
  return [
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=${jaas('scram.ScramLoginModule', { username: broker.username, password: broker.password })}`,
    'sasl.mechanism.controller.protocol=PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=${jaas('plain.PlainLoginModule', {
      username: controller.username,
      password: controller.password,
      [`user_${controller.username}`]: controller.password,
    })}`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    `super.users=${[admin, broker, controller].map(({ username }) => `User:${username}`).join(';')}`,
  ];
}

function serverProperties(node: KafkaNode, credentials: BrokerCredentials): string {
  const { factor, minInsync } = node.replication;
  const quorum =
    node.quorum.kind === 'standalone'
      ? [
          '# Single node: one process is both the KRaft controller and the broker.',
          // 4.x dynamic quorum (KIP-853); storage is formatted with --standalone to match.
          `controller.quorum.bootstrap.servers=127.0.0.1:${node.controllerPort}`,
        ]
      : [
          '# One node of a cluster: each is a controller and a broker; the voters are fixed.',
          `controller.quorum.voters=${node.quorum.voters.map((voter) => `${voter.nodeId}@127.0.0.1:${voter.controllerPort}`).join(',')}`,
        ];
  const lines = [
    '# Written by tools/kafka/broker.ts on every start; edits are overwritten.',
    ...quorum,
    'process.roles=broker,controller',
    `node.id=${node.nodeId}`,
    `listeners=SASL_PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    `log.dirs=${path.join(node.dataDir, 'logs')}`,
    '',
    '# Authentication and authorization (the passwords are in credentials.json beside this file).',
    ...securityProperties({ credentials }),
    '',
    factor === 1
      ? '# One replica of everything: the defaults (3) cannot be met by a single broker.'
      : '# Replicated as in production (k8s/generator/prod.ts): acks=all needs minInsync replicas.',
    `default.replication.factor=${factor}`,
    `min.insync.replicas=${minInsync}`,
    `offsets.topic.replication.factor=${factor}`,
    `transaction.state.log.replication.factor=${factor}`,
    `transaction.state.log.min.isr=${minInsync}`,
    `share.coordinator.state.topic.replication.factor=${factor}`,
    `share.coordinator.state.topic.min.isr=${minInsync}`,
    '',
    '# Fast tests: no 3 s wait before the first rebalance; fewer internal partitions to create.',
    'group.initial.rebalance.delay.ms=0',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.num.partitions=10',
    'share.coordinator.state.topic.num.partitions=5',
    '',
    'num.partitions=1',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    '',
    '# Small machine (2 cores): fewer threads, smaller segments.',
    'num.network.threads=2',
    'num.io.threads=4',
    'num.recovery.threads.per.data.dir=1',
    'background.threads=4',
    'log.segment.bytes=16777216',
    'log.retention.hours=24',
    '# The log cleaner (compacted topics: offsets, analytics results) keeps its key map on the heap;',
    "# Kafka's 128 MiB default was most of an idle broker's heap. 16 MiB maps about 700 000 keys a pass.",
    'log.cleaner.dedupe.buffer.size=16777216',
    '',
  ];
  return lines.join('\n');
}

export async function isFormatted(dataDir: string): Promise<boolean> {
  return (await readText(path.join(dataDir, 'logs', 'meta.properties'))) !== undefined;
}

async function formatStorageOnce(
  lib: string,
  node: KafkaNode,
  propsFile: string,
  credentials: BrokerCredentials,
): Promise<void> {
  // A formatted log dir keeps its topics (and SCRAM users) across restarts of `npm run kafka:start`.
  if (await isFormatted(node.dataDir)) return;
  // The SCRAM users go into the bootstrap metadata: they exist before the broker serves anyone.
  const users = [credentials.admin, credentials.broker, ...Object.values(credentials.participants)];
  const quorum =
    node.quorum.kind === 'standalone'
      ? [`--cluster-id=${randomClusterId()}`, '--standalone']
      : [`--cluster-id=${node.quorum.clusterId}`];
  const args = [
    // A one-shot tool: C1-only JIT and serial GC start faster (about 0.8 s of 2.7 s here).
    ...jvmBaseArgs(lib, 256, ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']),
    'kafka.tools.StorageTool',
    'format',
    '--config',
    propsFile,
    ...quorum,
    ...users.flatMap((user) => ['--add-scram', scramFormatArgument(user)]),
  ];
  try {
    await run('java', args, node.dataDir);
  } catch (error) {
    throw new KafkaToolError(`Formatting Kafka storage in ${node.dataDir} failed: ${errorText(error)}`);
  }
}

/** Kafka's Uuid: 16 random bytes, URL-safe base64 without padding (what `kafka-storage random-uuid` prints). */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // Kafka itself avoids a leading '-' so the id is never mistaken for a CLI flag.
    if (!id.startsWith('-')) return id;
  }
}

/**
 * The heap starts small and grows to `heapMb` under load: an idle broker (a laptop's `npm start`) holds
 * well under a third of it, and a heap committed whole at start was the system's largest process.
 */
const INITIAL_HEAP_MB = 64;

function jvmBaseArgs(lib: string, heapMb: number, tuning = ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20']): string[] {
  return [
    `-Xms${Math.min(INITIAL_HEAP_MB, heapMb)}m`,
    `-Xmx${heapMb}m`,
    ...tuning,
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
    '-cp',
    // Java expands a trailing '*' itself; no shell is involved.
    `${lib}${path.sep}*`,
  ];
}

/** Detached so the broker outlives `npm run kafka:start`; its output goes to logFile only. */
async function spawnDetached(
  lib: string,
  heapMb: number,
  propsFile: string,
  logFile: string,
  cwd: string,
): Promise<number> {
  await mkdir(path.dirname(logFile), { recursive: true });
  const log = await open(logFile, 'a');
  try {
    const child = spawn('java', [...jvmBaseArgs(lib, heapMb), 'kafka.Kafka', propsFile], {
      cwd,
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (e) => reject(new KafkaToolError(`Could not start java: ${e.message}`)));
      child.once('spawn', () => resolve(child.pid as number));
    });
    child.unref();
    return pid;
  } finally {
    await log.close();
  }
}

async function pollUntilReady(
  bootstrap: string,
  credential: KafkaCredential,
  deadline: number,
  alive: () => boolean,
  brokers = 1,
): Promise<void> {
  const admin = new Kafka({
    clientId: 'orderflow-kafka-wait',
    brokers: bootstrap.split(','),
    sasl: scramSasl(credential),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    for (;;) {
      if (!alive()) throw new KafkaToolError(`The Kafka broker at ${bootstrap} exited during start-up`);
      if ((await describeClusterOnce(admin)) >= brokers) return;
      if (Date.now() > deadline) throw new KafkaToolError(`The Kafka broker at ${bootstrap} was not ready in time`);
      await sleep(250);
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** How many live brokers the cluster describes; 0 when it does not answer. */
async function describeClusterOnce(admin: ReturnType<Kafka['admin']>): Promise<number> {
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length;
  } catch {
    await admin.disconnect().catch(() => undefined);
    return 0;
  }
}

async function requireJava(): Promise<void> {
  const hint = 'Java 17+ is required to run the Kafka broker: install openjdk-17-jre-headless';
  const output = await requireTool('java', ['-version'], hint);
  // `java -version` prints e.g. `openjdk version "17.0.15"` or `"1.8.0_392"` on stderr.
  const major = Number.parseInt(/version "(?:1\.)?(\d+)/.exec(output)?.[1] ?? '0', 10);
  if (major < 17) throw new KafkaToolError(`${hint} (found Java ${major})`);
}

/** Runs `cmd args` and returns its output; a missing or broken command becomes the given hint. */
async function requireTool(cmd: string, args: string[], hint: string): Promise<string> {
  try {
    return await run(cmd, args, TOOL_DIR);
  } catch {
    throw new KafkaToolError(hint);
  }
}

/** Streams Maven's download lines (one per jar) to stderr as progress; keeps the rest for errors. */
async function runMaven(): Promise<void> {
  const args = ['-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${LIB_DIR}`];
  const child = spawn('mvn', args, { cwd: TOOL_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  const recent: string[] = [];
  const onLine = (line: string): void => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    const jar = /Downloaded from .*\/([^/]+\.jar) \(([^ ]+ [kMG]?B)/.exec(line);
    if (jar) process.stderr.write(`kafka: downloaded ${jar[1]} (${jar[2]})\n`);
    else if (line.includes('[ERROR]')) process.stderr.write(`kafka: ${line}\n`);
  };
  forEachLine(child.stdout, onLine);
  forEachLine(child.stderr, onLine);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new KafkaToolError(`Maven could not resolve the Kafka jars (exit ${code}):\n${recent.join('\n')}`);
  }
}

function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (buffered + chunk).split('\n');
    buffered = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  stream.on('end', () => buffered && onLine(buffered));
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { output: `${stdout}${stderr}` }));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

function errorText(error: unknown): string {
  const output = (error as { output?: string }).output?.trim();
  return output || (error instanceof Error ? error.message : String(error));
}

async function requirePortFree(port: number): Promise<void> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise((resolve) => server.close(resolve));
  else throw new KafkaToolError(`Port ${port} on 127.0.0.1 is already in use; pick another one`);
}

/** Whether the process runs (a zombie not reaped yet does not). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A child we have not reaped yet still answers signal 0 as a zombie.
  return !procStat(pid).startsWith('Z');
}

function procStat(pid: number): string {
  try {
    // Field 3 of /proc/<pid>/stat is the state; the command name before it may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2);
  } catch {
    return '';
  }
}

/** Guards against a stale pid file whose pid now belongs to another program (Linux only; trusted elsewhere). */
async function isKafkaProcess(pid: number, dataDir: string): Promise<boolean> {
  const cmdline = await readText(`/proc/${pid}/cmdline`);
  return cmdline === undefined || (cmdline.includes('kafka.Kafka') && cmdline.includes(dataDir));
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

async function tail(file: string, lines: number): Promise<string> {
  const text = (await readText(file)) ?? '(no log file)';
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
