import path from 'node:path';
import { databaseEnv, parseEnv } from '@orderflow/config';
import { z } from 'zod';

const databaseEnvSchema = z.object(databaseEnv);

/** The DATABASE_* variables, validated (see `databaseEnv` in @orderflow/config). */
export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

/** Where a service keeps its data: its own database on a PostgreSQL server, or an embedded PGlite directory. */
export type DatabaseSettings =
  { kind: 'postgres'; url: string; database: string; poolSize: number } | { kind: 'embedded'; directory: string };

const serviceName = /^[a-z][a-z0-9_]{0,49}$/;

/**
 * Decides where `service` keeps its data. `env` may be raw (strings) or already validated;
 * it is validated here either way, so a bad variable is reported by name.
 */
export function databaseSettings(env: Record<string, unknown>, service: string): DatabaseSettings {
  if (!serviceName.test(service)) {
    throw new Error(`Service name "${service}" must be a lower-case identifier: it names the service's database`);
  }
  const parsed = parseEnv(databaseEnvSchema, env);
  if (parsed.DATABASE_URL === undefined) {
    return { kind: 'embedded', directory: path.resolve(parsed.DATA_DIR, 'pglite', service) };
  }
  return {
    kind: 'postgres',
    url: parsed.DATABASE_URL,
    database: parsed.DATABASE_NAME ?? `orderflow_${service}`,
    poolSize: parsed.DATABASE_POOL_SIZE,
  };
}
