import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './repository-root';
import { promisify } from 'node:util';

/** The Kafka Streams (Java) apps of the system, with the HTTP port of each one's health endpoint. */
export const streamAppPorts = {
  'order-analytics': 3108,
} as const;

export type StreamAppName = keyof typeof streamAppPorts;
export const streamAppNames = Object.keys(streamAppPorts) as StreamAppName[];

/**
 * A JVM per app, sized for a 2-core machine that also runs the broker and every Node app. The
 * Dockerfile's ENTRYPOINT uses the same flags (test/operations/dockerfile.spec.ts checks it).
 */
export const streamAppJvmOptions: readonly string[] = [
  '-Xms64m',
  '-Xmx256m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
];

export function streamAppProject(app: StreamAppName): string {
  return join(repositoryRoot(), 'streams', app);
}

export function streamAppJar(app: StreamAppName): string {
  return join(streamAppProject(app), 'target', `${app}.jar`);
}

export function streamAppCommand(app: StreamAppName): { executable: string; args: string[] } {
  return { executable: 'java', args: [...streamAppJvmOptions, '-jar', streamAppJar(app)] };
}

/**
 * Builds the app's jar with Maven when it is missing or older than its sources (first `npm start`,
 * a fresh clone, a pulled change), like tools/kafka resolves the broker's jars on first use.
 */
export async function buildStreamApp(app: StreamAppName): Promise<void> {
  const project = streamAppProject(app);
  const jar = streamAppJar(app);
  if (existsSync(jar) && statSync(jar).mtimeMs >= newestSource(project)) return;
  process.stderr.write(`streams: building ${app} with Maven (mvn package, once per change)\n`);
  try {
    await promisify(execFile)('mvn', ['-q', '-f', join(project, 'pom.xml'), 'package', '-DskipTests'], {
      cwd: repositoryRoot(),
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`mvn package of streams/${app} failed: ${output.stdout ?? ''}${output.stderr ?? output.message}`, {
      cause: error,
    });
  }
}

function newestSource(project: string): number {
  const walk = (path: string): number => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(0, ...readdirSync(path).map((entry) => walk(join(path, entry))));
  };
  return Math.max(walk(join(project, 'pom.xml')), walk(join(project, 'src', 'main')));
}
