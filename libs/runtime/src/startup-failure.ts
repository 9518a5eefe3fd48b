import { ConfigProblem, describeProblem, ServiceEnvSchema, startupHttpPort, startupPort } from '@orderflow/config';
import { serveManagement } from './management-server';
import { NotReadyReport, NotReadyServer, serveNotReady } from './not-ready-server';
import type { Logger } from 'pino';

/** An app starting: its name, its environment schema and the JSON logger of its start-up. */
export interface Startup {
  service: string;
  env: ServiceEnvSchema;
  logger: Logger;
}

/**
 * A bad environment stays bad until the app is restarted with a fixed one, so it is never retried:
 * the app logs one line per bad or missing variable (names and what is wrong, never values), then
 * answers its probes as alive but not ready, naming them. Undefined when there is nowhere to answer:
 * HTTP_PORT is bad and the schema has no default, or the port is taken.
 */
export async function serveBadConfiguration(
  startup: Startup,
  problems: readonly ConfigProblem[],
): Promise<NotReadyServer | undefined> {
  for (const problem of problems) {
    startup.logger.error({ variable: problem.variable }, `Invalid configuration: ${describeProblem(problem)}`);
  }
  const reason = 'invalid configuration: restart the app with these variables fixed';
  const server = await serveOnStartupPort(startup, {
    check: 'configuration',
    reason,
    problems: problems.map(describeProblem),
  });
  if (server) {
    const byDefault = problems.some(({ variable }) => variable === 'HTTP_PORT')
      ? ' (its default: HTTP_PORT is bad)'
      : '';
    startup.logger.error(
      `${startup.service} cannot start with this configuration: not ready on port ${server.port}${byDefault} until it is restarted with a fixed one`,
    );
  }
  return server;
}

/**
 * A Kafka transport dependency of another version than the one it was verified against
 * (libs/messaging's verified-versions.ts) is refused like a bad environment: retrying cannot help,
 * reinstalling can. The app logs why and what to do, then answers its probes as alive but not ready.
 */
export async function serveUnverifiedVersions(startup: Startup, message: string): Promise<NotReadyServer | undefined> {
  startup.logger.error(`${startup.service} cannot start: ${message}`);
  return serveOnStartupPort(startup, { check: 'dependencies', reason: message });
}

/**
 * A broker or database that cannot be reached at start is waited for, not crashed on: the app logs
 * why and, until it is up, answers its probes as alive but not ready, with the reason; then it tries
 * again with backoff.
 */
export async function waitToRetry(
  startup: Startup,
  attempt: number,
  error: unknown,
  previous: NotReadyServer | undefined,
): Promise<NotReadyServer | undefined> {
  const reason = error instanceof Error ? error.message : String(error);
  const delayMs = Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5));
  startup.logger.error(`${startup.service} cannot start (attempt ${attempt}, next in ${delayMs / 1000} s): ${reason}`);
  await previous?.close();
  const notReady = await serveOnStartupPort(startup, { reason });
  await new Promise((wake) => setTimeout(wake, delayMs));
  return notReady;
}

/**
 * The app's ports, held from the start until it listens: the probes answer alive and not ready
 * ("starting"), the management port an empty scrape (starting is no failure). A port that is taken
 * fails here, with its listen error, before the app has connected to Kafka: not even its request
 * client's reply group sees it. Undefined when there is no valid HTTP_PORT (the app fails later).
 */
export async function holdPortsWhileStarting(startup: Startup): Promise<NotReadyServer | undefined> {
  const port = startupHttpPort(startup.env);
  if (port === undefined) return undefined;
  const probes = await serveNotReady({ port, service: startup.service, reason: 'starting' });
  const managementPort = startupPort(startup.env, 'MANAGEMENT_PORT');
  if (managementPort === undefined) return probes;
  const management = await serveManagement(managementPort, async () => ({
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    body: '',
  })).catch(async (error: unknown) => {
    await probes.close();
    throw error;
  });
  return {
    port: probes.port,
    managementPort: management.port,
    close: async () => void (await Promise.all([probes.close(), management.close()])),
  };
}

/** The not-ready answers on the ports the app would have listened on (see `startupPort`). */
async function serveOnStartupPort(
  startup: Startup,
  report: Omit<NotReadyReport, 'port' | 'service'>,
): Promise<NotReadyServer | undefined> {
  const port = startupHttpPort(startup.env);
  if (port === undefined) {
    startup.logger.error('no valid HTTP_PORT and no default: the probes are not answered');
    return undefined;
  }
  try {
    const managementPort = startupPort(startup.env, 'MANAGEMENT_PORT');
    return await serveNotReady({ port, managementPort, service: startup.service, ...report });
  } catch (error) {
    startup.logger.error(`cannot answer the probes on port ${port}: ${error instanceof Error ? error.message : error}`);
    return undefined;
  }
}
