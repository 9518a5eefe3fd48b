import { NotReadyReport, serveNotReady } from './not-ready-server';

/** Serves the report on free ports and answers what the probes and a scrape see. */
async function probed(report: Omit<NotReadyReport, 'port'>) {
  const server = await serveNotReady({ port: 0, managementPort: 0, ...report });
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const ready = await fetch(`${base}/health/ready`);
    return {
      live: (await fetch(`${base}/health/live`)).status,
      ready: { status: ready.status, body: (await ready.json()) as unknown },
      publicMetrics: (await fetch(`${base}/metrics`)).status,
      metrics: await (await fetch(`http://127.0.0.1:${server.managementPort}/metrics`)).text(),
    };
  } finally {
    await server.close();
  }
}

describe('serveNotReady', () => {
  it('answers alive, not ready with the reason, and a startup-failed metric', async () => {
    const answers = await probed({ service: 'orders', reason: 'KAFKA_BROKERS unreachable' });
    expect(answers.live).toBe(200);
    expect(answers.ready.status).toBe(503);
    expect(answers.ready.body).toMatchObject({
      status: 'error',
      service: 'orders',
      error: { startup: { status: 'down', message: 'KAFKA_BROKERS unreachable' } },
    });
    expect(answers.metrics).toContain('orderflow_startup_failed{service="orders"} 1');
    // The metric is on the management port only.
    expect(answers.publicMetrics).toBe(503);
  });

  it('names the bad variables of a configuration error, and only what is wrong with them', async () => {
    const problems = ['KAFKA_BROKERS: must be a comma-separated list of host:port', 'HTTP_PORT: Too big'];
    const answers = await probed({
      service: 'orders',
      check: 'configuration',
      reason: 'invalid configuration',
      problems,
    });
    expect(answers.live).toBe(200);
    expect(answers.ready).toEqual({
      status: 503,
      body: {
        status: 'error',
        service: 'orders',
        error: { configuration: { status: 'down', message: 'invalid configuration', problems } },
      },
    });
  });
});
