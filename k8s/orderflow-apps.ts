import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { appPorts, managementPortOf } from '../tools/system/apps';
import { streamAppJvmOptions, StreamAppName, streamAppNames, streamAppPorts } from '../tools/system/streams-apps';

export const REPO_ROOT = path.resolve(__dirname, '..');

/** One deployable app, as the manifests, docker-compose.yml and the Dockerfile see it. */
export interface DeployableApp {
  name: string;
  /** HTTP_PORT: the API (gateway) or the small port of the probes (services). */
  port: number;
  /** MANAGEMENT_PORT: `/metrics`, for Prometheus only; never behind a Service or the Ingress. */
  managementPort: number;
  /** Owns a database: gets DATABASE_URL from the Secret and may reach PostgreSQL. */
  hasDatabase: boolean;
  /** Consumes Kafka in the service's shared group (scaled on lag); the gateway scales on CPU. */
  isPublic: boolean;
  /** The app's validated environment (apps/<app>/src/<app>.env.ts). */
  envSchema: z.ZodObject;
  /** Reaches outside the cluster over HTTP(S) (notifications' webhooks). */
  callsOut: boolean;
}

interface NestCli {
  projects: Record<string, { type: string; root: string; entryFile?: string }>;
}

export function nestCli(): NestCli {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'nest-cli.json'), 'utf8')) as NestCli;
}

/** The applications nest-cli.json builds: one image, one Deployment, one compose service each. */
export function nestApplications(): string[] {
  return Object.entries(nestCli().projects)
    .filter(([, project]) => project.type === 'application')
    .map(([name]) => name);
}

/** Finds the `<app>EnvSchema` export of apps/<app>/src/<app>.env.ts. */
export function loadEnvSchema(app: string): z.ZodObject {
  const file = path.join(REPO_ROOT, 'apps', app, 'src', `${app}.env.ts`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as Record<string, unknown>;
  const schema = Object.entries(exported).find(([name]) => name.endsWith('EnvSchema'))?.[1];
  if (!(schema instanceof z.ZodObject)) throw new Error(`${file} exports no <app>EnvSchema zod object`);
  return schema;
}

/** Every app of tools/system/apps.ts (ports, start order), described from its own env schema. */
export function deployableApps(): DeployableApp[] {
  const built = new Set(nestApplications());
  return Object.entries(appPorts).map(([name, port]) => {
    if (!built.has(name)) throw new Error(`${name} is in tools/system/apps.ts but not an application in nest-cli.json`);
    const envSchema = loadEnvSchema(name);
    return {
      name,
      port,
      managementPort: managementPortOf(name as keyof typeof appPorts),
      hasDatabase: 'DATABASE_URL' in envSchema.shape,
      isPublic: name === 'gateway',
      envSchema,
      callsOut: 'WEBHOOK_URL' in envSchema.shape,
    };
  });
}

/**
 * The gateway's public API, the only paths the Ingress routes (each a path prefix): its controllers'
 * routes, Swagger UI and the AsyncAPI pages. Not `/health` (the kubelet's) nor anything added later
 * without a thought: a new controller is public once it is listed here.
 */
export const gatewayPublicPaths = [
  '/orders',
  '/products',
  '/customers',
  '/analytics',
  '/audit',
  '/search',
  '/dashboard',
  '/docs',
  '/docs-json',
  '/asyncapi',
  '/asyncapi.json',
] as const;

/** Variables an app cannot start without (no default, not optional). */
export function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

/** One Kafka Streams processor (streams/<name>, Java), as the manifests and docker-compose.yml see it. */
export interface DeployableStreamApp {
  name: StreamAppName;
  /** HTTP_PORT: `/health/live` and `/health/ready` (no `/metrics`). */
  port: number;
  /** What its settings class reads from the environment: parsed from the Java source, the one list. */
  variables: string[];
  /** The JVM flags tools/system starts it with (heap cap included); the image uses the same. */
  jvmOptions: readonly string[];
}

function javaSources(app: string): Map<string, string> {
  const root = path.join(REPO_ROOT, 'streams', app, 'src', 'main', 'java');
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.java'));
  return new Map(files.map((file) => [path.basename(file, '.java'), fs.readFileSync(path.join(root, file), 'utf8')]));
}

/**
 * The variables a stream app reads: the names in `env.get("NAME")`, `env.getOrDefault("NAME", ...)`
 * and `helper(env, "NAME", ...)` of the one class with `fromEnvironment(Map<String, String> env)`.
 */
export function javaEnvironmentVariables(app: string): string[] {
  const settings = [...javaSources(app)].filter(([, source]) =>
    /\bfromEnvironment\(Map<String, String> env\)/.test(source),
  );
  if (settings.length !== 1)
    throw new Error(`streams/${app}: expected one class with fromEnvironment(Map<String, String> env)`);
  const [[className, source]] = settings;
  const names = [...source.matchAll(/\benv(?:\.\w+\(|, )"([A-Z][A-Z0-9_]*)"/g)].map((match) => match[1]);
  if (names.length === 0) throw new Error(`streams/${app}: ${className} reads no environment variable`);
  return [...new Set(names)];
}

/** The `static final String NAME = "value";` constants of a stream app's Java class, such as its topic names. */
export function javaStringConstants(app: string, className: string): Record<string, string> {
  const source = javaSources(app).get(className);
  if (!source) throw new Error(`streams/${app}: no class ${className}`);
  return Object.fromEntries(
    [...source.matchAll(/static final String (\w+) = "([^"]*)";/g)].map(([, name, value]) => [name, value]),
  );
}

/** Every stream app of tools/system/streams-apps.ts, described from its Java sources. */
export function deployableStreamApps(): DeployableStreamApp[] {
  return streamAppNames.map((name) => ({
    name,
    port: streamAppPorts[name],
    variables: javaEnvironmentVariables(name),
    jvmOptions: streamAppJvmOptions,
  }));
}
