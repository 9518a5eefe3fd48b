import { Agent, createServer, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainHttp } from './http-drain';

describe('drainHttp', () => {
  let server: Server;
  let port: number;
  let release: (() => void) | undefined;

  beforeEach(async () => {
    // `/slow` answers only when the test releases it; anything else at once.
    server = createServer((req, res) => {
      if (req.url !== '/slow') return void res.end('fast');
      release = () => res.end('slow');
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  function get(path: string, agent: Agent | false = false): Promise<string> {
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  }

  /** Sends a request and waits until the server has it; the answer is wrapped, or awaiting would wait for it. */
  async function inFlight(path: string, agent: Agent | false = false): Promise<{ answer: Promise<string> }> {
    const answer = get(path, agent);
    await new Promise<void>((arrived) => server.once('request', () => arrived()));
    return { answer };
  }

  it('lets a request in flight finish, and takes no new connection meanwhile', async () => {
    const { answer: slow } = await inFlight('/slow');
    const logger = { warn: jest.fn() };
    const drained = drainHttp(server, { settings: { shutdownTimeoutMs: 10_000 }, logger });
    await expect(get('/fast')).rejects.toThrow(/ECONNREFUSED/);
    release!();
    await expect(slow).resolves.toBe('slow');
    await drained;
    expect(server.listening).toBe(false);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('ends a keep-alive connection once its request in flight is answered, not at the end of the budget', async () => {
    const agent = new Agent({ keepAlive: true });
    await get('/fast', agent); // the connection the next request reuses
    const { answer: slow } = await inFlight('/slow', agent);
    const logger = { warn: jest.fn() };
    const started = Date.now();
    const drained = drainHttp(server, { settings: { shutdownTimeoutMs: 20_000 }, logger });
    release!();
    await expect(slow).resolves.toBe('slow');
    await drained;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(logger.warn).not.toHaveBeenCalled();
    agent.destroy();
  });

  it('closes the connection of a request still unanswered after half the budget, and says so', async () => {
    const { answer: slow } = await inFlight('/slow');
    const logger = { warn: jest.fn() };
    const started = Date.now();
    await drainHttp(server, { settings: { shutdownTimeoutMs: 400 }, logger });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await expect(slow).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(logger.warn).toHaveBeenCalledWith(
      'HTTP requests were still in flight within 200 ms: closing their connections',
    );
  });

  it('returns at once for a server that is not listening', async () => {
    server.close();
    const logger = { warn: jest.fn() };
    await drainHttp(server, { settings: { shutdownTimeoutMs: 10_000 }, logger });
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
