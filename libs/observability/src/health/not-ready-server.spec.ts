import { serveNotReady } from './not-ready-server';

describe('serveNotReady', () => {
  it('answers alive, not ready with the reason, and a startup-failed metric', async () => {
    const server = await serveNotReady({ port: 0, service: 'orders', reason: 'KAFKA_BROKERS unreachable' });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'error',
        service: 'orders',
        error: { startup: { status: 'down', message: 'KAFKA_BROKERS unreachable' } },
      });
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('orderflow_startup_failed{service="orders"} 1');
    } finally {
      await server.close();
    }
  });
});
