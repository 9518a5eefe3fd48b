import type { ServiceEnvSchema } from './env-schemas';

/**
 * The HTTP port an app was given, read on its own: when an app cannot start, this is where it still
 * answers its probes (not ready, and why). A bad HTTP_PORT is one of the problems reported, so the app
 * answers on its schema's default port instead; undefined when the schema has no default.
 */
export function startupHttpPort(
  schema: ServiceEnvSchema,
  env: Record<string, string | undefined> = process.env,
): number | undefined {
  const port = schema.shape.HTTP_PORT;
  const given = port.safeParse(env.HTTP_PORT);
  if (given.success) return given.data;
  const fallback = port.safeParse(undefined);
  return fallback.success ? fallback.data : undefined;
}
