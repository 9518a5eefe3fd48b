import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { appPorts } from '../tools/system/apps';

export const REPO_ROOT = path.resolve(__dirname, '..');

/** One deployable app, as the manifests, docker-compose.yml and the Dockerfile see it. */
export interface DeployableApp {
  name: string;
  /** HTTP_PORT: the API (gateway) or the small health and metrics port (services). */
  port: number;
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
      hasDatabase: 'DATABASE_URL' in envSchema.shape,
      isPublic: name === 'gateway',
      envSchema,
      callsOut: 'WEBHOOK_URL' in envSchema.shape,
    };
  });
}

/** Variables an app cannot start without (no default, not optional). */
export function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}
