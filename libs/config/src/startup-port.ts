/**
 * The HTTP port an app was given, read without its full schema: when an app cannot start, this is
 * where it still answers its probes (not ready, and why). Undefined when HTTP_PORT is not a port.
 */
export function startupHttpPort(env: Record<string, string | undefined> = process.env): number | undefined {
  const port = Number(env.HTTP_PORT);
  return Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined;
}
