import { createServer, Server } from 'node:http';

export interface NotReadyServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface NotReadyReport {
  port: number;
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
 * What an app that cannot start (broker or database unreachable, bad configuration) serves on its
 * HTTP port instead: alive, not ready, and why. The probes then show the reason in `kubectl describe
 * pod` instead of a silent crash loop. Never echoes secret values: callers pass a reason built from
 * variable names and error messages only.
 */
export function serveNotReady(report: NotReadyReport): Promise<NotReadyServer> {
  const { port, service, check = 'startup', reason, problems } = report;
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
    } else if (url.startsWith('/metrics')) {
      response.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
      response
        .writeHead(200)
        .end(
          '# HELP orderflow_startup_failed 1 while the app cannot start (waiting to retry, or on a bad configuration)\n' +
            '# TYPE orderflow_startup_failed gauge\n' +
            `orderflow_startup_failed{service="${service}"} 1\n`,
        );
    } else {
      response.writeHead(503).end(body('error', { message: 'starting' }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // A probe's keep-alive connection must not hold up a restart or the next attempt.
            server.closeAllConnections();
          }),
      });
    });
  });
}
