/**
 * npm run images:check [-- <image>...]
 *
 * Checks built images (npm run images:build) the way a cluster would use them, against the local
 * broker (npm run kafka:start; one of its own when none runs) and the PostgreSQL server of DATABASE_URL:
 * - the image runs as a numeric, non-root user (its USER, and `id -u` inside it) and has a HEALTHCHECK;
 * - it holds what it runs and nothing else: a Node app's image its own compiled app, the compiled libs
 *   and the production dependencies (no package the lock file marks dev, no TypeScript source, no
 *   other app); the processor's image its jar on a JRE (no JDK, no Maven, no build directory);
 * - started with `buildah run` (chroot isolation: the host's network) and its own Kafka user, it
 *   answers /health/ready with 200, and so does the image's own HEALTHCHECK command.
 * Prints each image's size. Exits 1 on the first image that fails, with the reason and its log's end.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { configuredBootstrap, resolveKafkaJars, runningPid, startBroker } from '../kafka/broker';
import { BrokerCredentials, credentialEnvironment, readBrokerCredentials } from '../kafka/credentials';
import { AppName, appsWithDatabase } from '../system/apps';
import { startKafkaDir } from '../system/data-dir';
import { freePort } from '../system/free-port';
import { waitUntilReady } from '../system/readiness';
import { repositoryRoot } from '../system/repository-root';
import { buildah, buildahEnvironment, buildahGlobalOptions } from './buildah';
import { ImageSpec, selectImages } from './images';

/** What CI checks by default: the gateway, a service that consumes events and owns a database, the processor. */
export const CI_IMAGES = ['gateway', 'orders', 'order-analytics'];

interface ImageConfig {
  user: string;
  healthcheck?: string[];
  command: string[];
  size: string;
}

async function imageConfig(image: string): Promise<ImageConfig> {
  const inspected = JSON.parse(await buildah(['inspect', '--type', 'image', image])) as {
    Docker: {
      config: { User?: string; Healthcheck?: { Test?: string[] }; Entrypoint?: string[] | null; Cmd?: string[] | null };
    };
  };
  const config = inspected.Docker.config;
  const size = await buildah(['images', '--format', '{{.Size}}', image]);
  return {
    user: config.User ?? '',
    healthcheck: config.Healthcheck?.Test,
    command: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
    size: size.split('\n')[0],
  };
}

function checkConfig(spec: ImageSpec, config: ImageConfig): number {
  const match = /^(\d+)(?::(\d+))?$/.exec(config.user);
  if (!match) throw new Error(`${spec.name}: USER is "${config.user}", not a numeric uid[:gid]`);
  const uid = Number(match[1]);
  if (uid === 0 || Number(match[2] ?? 1) === 0) throw new Error(`${spec.name}: runs as root (USER ${config.user})`);
  if (config.healthcheck?.[0] !== 'CMD' || !config.healthcheck.join(' ').includes('/health/ready')) {
    throw new Error(`${spec.name}: no HEALTHCHECK probing /health/ready (${JSON.stringify(config.healthcheck)})`);
  }
  return uid;
}

/** Every file under a directory, relative to it. */
function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((entry) =>
    statSync(join(directory, entry)).isFile(),
  );
}

const sorted = (values: string[]) => [...values].sort();

/** What the image's file system holds, read through `buildah mount`. */
export function checkContents(spec: ImageSpec, root: string): void {
  const problems: string[] = [];
  const expectEntries = (path: string, expected: string[]) => {
    const actual = sorted(readdirSync(join(root, path)));
    if (JSON.stringify(actual) !== JSON.stringify(sorted(expected))) {
      problems.push(`${path} holds ${actual.join(', ')}; expected ${expected.join(', ')}`);
    }
  };
  // Empty directories do not count: the build's host volumes (tools/images/build.ts) leave their mount points.
  const absent = (path: string) => {
    const full = join(root, path);
    if (existsSync(full) && (!statSync(full).isDirectory() || filesUnder(full).length > 0)) {
      problems.push(`${path} is in the image`);
    }
  };
  if (spec.kind === 'node') {
    expectEntries('app', ['dist', 'node_modules']);
    expectEntries('app/dist', ['apps', 'libs']);
    expectEntries('app/dist/apps', [spec.name]);
    const sources = filesUnder(join(root, 'app/dist')).filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'));
    if (sources.length > 0) problems.push(`TypeScript sources in /app/dist: ${sources.slice(0, 5).join(', ')}`);
    const lock = JSON.parse(readFileSync(join(repositoryRoot(), 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devPackages = Object.entries(lock.packages).filter(([path, entry]) => path && entry.dev);
    const installedDev = devPackages.filter(([path]) => existsSync(join(root, 'app', path))).map(([path]) => path);
    if (installedDev.length > 0) {
      problems.push(`${installedDev.length} dev dependencies installed, e.g. ${installedDev.slice(0, 5).join(', ')}`);
    }
    const production = Object.keys(
      (JSON.parse(readFileSync(join(repositoryRoot(), 'package.json'), 'utf8')) as { dependencies: object })
        .dependencies,
    );
    const missing = production.filter((name) => !existsSync(join(root, 'app/node_modules', name)));
    if (missing.length > 0) problems.push(`production dependencies missing: ${missing.join(', ')}`);
  } else {
    expectEntries('app', [`${spec.name}.jar`]);
    for (const path of ['usr/bin/javac', 'usr/bin/mvn', 'usr/share/maven', 'root/.m2', 'build']) absent(path);
  }
  if (problems.length > 0) throw new Error(`${spec.name}: ${problems.join('; ')}`);
}

interface Environment {
  brokers: string;
  credentials: BrokerCredentials;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The running local broker (npm run kafka:start), or one of the check's own, stopped afterwards. */
async function localEnvironment(): Promise<Environment> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const kafkaDir = startKafkaDir();
  const brokers = (await runningPid(kafkaDir)) ? await configuredBootstrap(kafkaDir) : undefined;
  const credentials = await readBrokerCredentials(kafkaDir);
  if (brokers && credentials) return { brokers, credentials, databaseUrl, close: async () => undefined };
  process.stderr.write('images: no local broker runs; starting one for the check\n');
  await resolveKafkaJars();
  const dataDir = join(repositoryRoot(), '.data', 'images', `kafka-${process.pid}`);
  const broker = await startBroker({ dataDir, port: await freePort(), controllerPort: await freePort() });
  const close = async () => {
    await broker.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { brokers: broker.bootstrap, credentials: broker.credentials, databaseUrl, close };
}

/** The database an app of the check owns; dropped afterwards. */
const databaseOf = (app: string) => `orderflow_image_check_${app.replace(/-/g, '_')}`;

async function runEnvironment(
  spec: ImageSpec,
  environment: Environment,
  port: number,
): Promise<Record<string, string>> {
  const kafka = {
    KAFKA_BROKERS: environment.brokers,
    ...credentialEnvironment(environment.credentials.participants[spec.name]),
  };
  if (spec.kind === 'streams') return { ...kafka, HTTP_PORT: String(port), APPLICATION_ID: spec.name };
  const database: Record<string, string> = appsWithDatabase.includes(spec.name as AppName)
    ? { DATABASE_URL: environment.databaseUrl, DATABASE_NAME: databaseOf(spec.name) }
    : {};
  return {
    ...kafka,
    ...database,
    HTTP_PORT: String(port),
    MANAGEMENT_PORT: String(await freePort()),
    INSTANCE_ID: `${spec.name}-image-check`,
  };
}

function runIn(container: string, env: Record<string, string>, command: string[]): ChildProcess {
  const envFlags = Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
  return spawn('buildah', [...buildahGlobalOptions(), 'run', ...envFlags, container, '--', ...command], {
    env: buildahEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: stopping it reaches the app that buildah runs.
    detached: true,
  });
}

async function output(child: ChildProcess): Promise<{ code: number | null; text: string }> {
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  return { code, text };
}

const tail = (text: string, lines = 20) =>
  text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line.slice(0, 300)}`)
    .join('\n');

/** SIGTERM to the process group of `buildah run`, SIGKILL after the grace period. */
async function stop(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function checkImage(spec: ImageSpec, environment: Environment): Promise<string> {
  const started = Date.now();
  const config = await imageConfig(spec.image);
  const uid = checkConfig(spec, config);
  const container = await buildah(['from', '--pull-never', spec.image]);
  try {
    checkContents(spec, await buildah(['mount', container]));
    await buildah(['umount', container]);

    const id = await output(runIn(container, {}, ['id', '-u']));
    if (id.code !== 0 || id.text.trim() !== String(uid)) {
      throw new Error(`${spec.name}: id -u in the image gave "${id.text.trim()}" (exit ${id.code}), expected ${uid}`);
    }

    const port = await freePort();
    const env = await runEnvironment(spec, environment, port);
    const app = runIn(container, env, config.command);
    let log = '';
    app.stdout?.on('data', (chunk) => (log += chunk));
    app.stderr?.on('data', (chunk) => (log += chunk));
    try {
      // No process-id check: inside `buildah run` the app's pid is not the pid of the child started here.
      await waitUntilReady({
        name: spec.name,
        url: `http://127.0.0.1:${port}`,
        timeoutMs: 180_000,
        exited: () => (app.exitCode ?? app.signalCode ?? undefined)?.toString(),
        details: () => `:\n${tail(log)}`,
      });
      const [, ...healthcheck] = config.healthcheck!;
      const probe = await output(runIn(container, env, healthcheck));
      if (probe.code !== 0) throw new Error(`${spec.name}: its HEALTHCHECK failed (exit ${probe.code}) ${probe.text}`);
    } finally {
      await stop(app);
    }
  } finally {
    await buildah(['rm', container]).catch(() => undefined);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  return `${spec.name.padEnd(16)} ${config.size.padStart(8)}  user ${config.user}, ready in ${seconds} s`;
}

async function dropDatabases(databaseUrl: string, specs: ImageSpec[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const spec of specs.filter((candidate) => appsWithDatabase.includes(candidate.name as AppName))) {
      await client.query(`DROP DATABASE IF EXISTS "${databaseOf(spec.name)}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
  const specs = selectImages(names.length > 0 ? names : CI_IMAGES);
  const environment = await localEnvironment();
  const lines: string[] = [];
  try {
    for (const spec of specs) {
      process.stderr.write(`images: checking ${spec.image}\n`);
      lines.push(await checkImage(spec, environment));
    }
  } finally {
    await dropDatabases(environment.databaseUrl, specs);
    await environment.close();
  }
  console.log(`images checked (${relative(process.cwd(), join(repositoryRoot(), 'Dockerfile')) || 'Dockerfile'}):`);
  for (const line of lines) console.log(`  ${line}`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`images: ${error.message}\n`);
    process.exit(1);
  });
}
