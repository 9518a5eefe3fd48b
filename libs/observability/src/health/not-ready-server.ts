import { createServer, Server } from 'node:http';

export interface NotReadyServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * What an app that cannot start (broker or database unreachable, bad configuration) serves on its
 * HTTP port while it waits to try again: alive, not ready, and why. The probes then show the
 * reason in `kubectl describe pod` instead of a silent crash loop. Never echoes secret values:
 * callers pass a reason built from variable names and error messages only.
 */
export function serveNotReady(options: { port: number; service: string; reason: string }): Promise<NotReadyServer> {
  const body = (status: 'ok' | 'error', details: Record<string, unknown>) =>
    JSON.stringify({ status, service: options.service, ...details });
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '';
    response.setHeader('Content-Type', 'application/json');
    response.setHeader('Cache-Control', 'no-store');
    if (url.startsWith('/health/live')) {
      response.writeHead(200).end(body('ok', { info: {} }));
    } else if (url.startsWith('/health/ready')) {
      response.writeHead(503).end(body('error', { error: { startup: { status: 'down', message: options.reason } } }));
    } else if (url.startsWith('/metrics')) {
      response.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
      response
        .writeHead(200)
        .end(
          '# HELP orderflow_startup_failed 1 while the app cannot start and waits to retry\n' +
            '# TYPE orderflow_startup_failed gauge\n' +
            `orderflow_startup_failed{service="${options.service}"} 1\n`,
        );
    } else {
      response.writeHead(503).end(body('error', { message: 'starting' }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : options.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
