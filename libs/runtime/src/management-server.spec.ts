import { serveManagement } from './management-server';

describe('serveManagement', () => {
  it('answers GET /metrics with the scrape, and 404 for anything else', async () => {
    const scrape = jest.fn().mockResolvedValue({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' });
    const server = await serveManagement(0, scrape);
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const metrics = await fetch(`${base}/metrics?name[]=up`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4');
      expect(await metrics.text()).toBe('up 1\n');
      for (const path of ['/', '/health/ready', '/metrics/extra', '/orders']) {
        expect({ path, status: (await fetch(`${base}${path}`)).status }).toEqual({ path, status: 404 });
      }
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
      expect(scrape).toHaveBeenCalledTimes(1);
    } finally {
      await server.close();
    }
  });

  it('answers 500 when the scrape fails, and keeps serving', async () => {
    const scrape = jest
      .fn()
      .mockRejectedValueOnce(new Error('collector broke'))
      .mockResolvedValue({ contentType: 'text/plain', body: 'ok\n' });
    const server = await serveManagement(0, scrape);
    try {
      const failed = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(failed.status).toBe(500);
      expect(await failed.text()).toContain('collector broke');
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses to start on a port that is taken', async () => {
    const first = await serveManagement(0, jest.fn());
    try {
      await expect(serveManagement(first.port, jest.fn())).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
