import type { ServiceEnvSchema } from './env-schemas';

type PortVariable = 'HTTP_PORT' | 'MANAGEMENT_PORT';

/**
 * A port an app was given, read on its own: when an app cannot start, it still answers its probes on
 * HTTP_PORT (not ready, and why) and its scraper on MANAGEMENT_PORT. A bad port is one of the problems
 * reported, so the app answers on its schema's default port instead; undefined when the schema has no
 * default (or no such variable).
 */
export function startupPort(
  schema: ServiceEnvSchema,
  variable: PortVariable,
  env: Record<string, string | undefined> = process.env,
): number | undefined {
  const port = schema.shape[variable];
  if (!port) return undefined;
  const given = port.safeParse(env[variable]);
  if (given.success) return given.data;
  const fallback = port.safeParse(undefined);
  return fallback.success ? fallback.data : undefined;
}

/** The HTTP port an app was given (see `startupPort`). */
export function startupHttpPort(
  schema: ServiceEnvSchema,
  env: Record<string, string | undefined> = process.env,
): number | undefined {
  return startupPort(schema, 'HTTP_PORT', env);
}
