import { createServer, Server } from 'node:http';

/** A small HTTP server of the runtime's own (the management port, the not-ready answers). */
export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface Scrape {
  contentType: string;
  body: string;
}

/**
 * The management port: `GET /metrics` in Prometheus' text format and nothing else (404), so that the
 * public port (the API, the probes) never shows the metrics. Kept apart from Nest's HTTP server: what
 * the scraper reads is not an API route, is not rate-limited and needs no token; a NetworkPolicy lets
 * only the monitoring namespace reach it.
 */
export function serveManagement(port: number, scrape: () => Promise<Scrape>): Promise<RunningServer> {
  const server = createServer((request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    scrape().then(
      ({ contentType, body }) => response.writeHead(200, { 'Content-Type': contentType }).end(body),
      (error: unknown) =>
        response
          .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end(`scrape failed: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  return listen(server, port);
}

/** Listens on `port` (0: a free one); `close` also ends keep-alive connections, so a stop never waits on a scraper. */
export function listen(server: Server, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
