import { createServer, Server } from 'node:http';
import { listen, RunningServer, serveManagement } from './management-server';

export interface NotReadyServer extends RunningServer {
  /** Where it answers the scraper, when the app has a management port. */
  readonly managementPort?: number;
}

export interface NotReadyReport {
  port: number;
  /** Where the scraper finds `orderflow_startup_failed`; none for an app without a management port. */
  managementPort?: number;
  service: string;
  /**
   * What failed, named as a terminus check in the body: `startup` (broker or database unreachable,
   * tried again) by default, `configuration` (a bad environment, until the app is restarted),
   * `dependencies` (an unverified version of the Kafka transport's packages, until reinstalled).
   */
  check?: 'startup' | 'configuration' | 'dependencies';
  reason: string;
  /** For a configuration error: one line per bad or missing variable. */
  problems?: string[];
}

/**
 * What an app that cannot start (broker or database unreachable, bad configuration) serves instead: on
 * its HTTP port, alive, not ready, and why; on its management port, a startup-failed metric. The probes
 * then show the reason in `kubectl describe pod` instead of a silent crash loop. Never echoes secret
 * values: callers pass a reason built from variable names and error messages only.
 */
export async function serveNotReady(report: NotReadyReport): Promise<NotReadyServer> {
  const { port, managementPort, service, check = 'startup', reason, problems } = report;
  const body = (status: 'ok' | 'error', details: Record<string, unknown>) =>
    JSON.stringify({ status, service, ...details });
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '';
    response.setHeader('Content-Type', 'application/json');
    response.setHeader('Cache-Control', 'no-store');
    if (url.startsWith('/health/live')) {
      response.writeHead(200).end(body('ok', { info: {} }));
    } else if (url.startsWith('/health/ready')) {
      const down = { status: 'down', message: reason, ...(problems ? { problems } : {}) };
      response.writeHead(503).end(body('error', { error: { [check]: down } }));
    } else {
      // Nothing was done with the request: the client may send it again.
      response.setHeader('Retry-After', '1');
      response.writeHead(503).end(body('error', { message: 'starting' }));
    }
  });
  const probes = await listen(server, port);
  if (managementPort === undefined) return probes;
  const metrics = await serveManagement(managementPort, async () => ({
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    body:
      '# HELP orderflow_startup_failed 1 while the app cannot start (waiting to retry, or on a bad configuration)\n' +
      '# TYPE orderflow_startup_failed gauge\n' +
      `orderflow_startup_failed{service="${service}"} 1\n`,
  })).catch(() => undefined);
  // The probes matter more than the metric: a taken management port leaves them answering.
  if (!metrics) return probes;
  return {
    port: probes.port,
    managementPort: metrics.port,
    close: async () => void (await Promise.all([probes.close(), metrics.close()])),
  };
}
