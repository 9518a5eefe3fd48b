import { sagaFiguresOf } from './compare-report';

const isStreamProcessor = (instance: string) => instance.startsWith('order-analytics-');

/** A results file as f225c4a's `npm run bench -- saga --quick` writes it (trimmed to what is read, and a little more). */
function resultsFile(saga: Record<string, unknown> = {}) {
  return {
    machine: { cores: 2, node: 'v24.22.3', kafka: '4.4.0' },
    quick: true,
    reports: [
      {
        name: 'saga',
        levels: [
          {
            concurrency: 16,
            ordersPerSecond: 12.4,
            refused: { '429': 3, '502': 1, '504': 2 },
            unanswered: 0,
            postToTerminalMs: { count: 60, p50: 900, p95: 2000, p99: 2500 },
          },
        ],
        apps: [
          { instance: 'orders-1', idleRssMb: 130, endRssMb: 150, cpuSecondsPer1000Orders: 6.5 },
          { instance: 'gateway-1', idleRssMb: 130, endRssMb: 150, cpuSecondsPer1000Orders: 4.5 },
          { instance: 'order-analytics-1', idleRssMb: 200, endRssMb: 220, cpuSecondsPer1000Orders: 2.4 },
        ],
        ...saga,
      },
    ],
  };
}

describe('sagaFiguresOf', () => {
  it("reads f225c4a's shape: the Node apps summed, the stream processor apart, no broker or PostgreSQL", () => {
    expect(sagaFiguresOf(resultsFile(), 'old-1.json', isStreamProcessor)).toEqual({
      node: 'v24.22.3',
      quick: true,
      levels: [{ concurrency: 16, ordersPerSecond: 12.4, postToTerminalP99Ms: 2500, serverErrors: 3 }],
      nodeAppsCpuPer1000Orders: 11,
      shares: { streamProcessor: 2.4 },
      idleConfirmMs: { p50: Number.NaN, p99: Number.NaN },
    });
  });

  it('reads the idle phase, one order at a time, when the report has it', () => {
    const figures = sagaFiguresOf(
      resultsFile({ idleConfirmMs: { count: 200, p50: 180, p95: 240, p99: 310 } }),
      'new-1.json',
      isStreamProcessor,
    );
    expect(figures.idleConfirmMs).toEqual({ p50: 180, p99: 310 });
  });

  it("reads the broker's and PostgreSQL's CPU when the report has them", () => {
    const figures = sagaFiguresOf(
      resultsFile({
        infrastructure: { broker: { cpuSecondsPer1000Orders: 8 }, postgres: { cpuSecondsPer1000Orders: 5 } },
      }),
      'new-1.json',
      isStreamProcessor,
    );
    expect(figures.shares).toEqual({ streamProcessor: 2.4, broker: 8, postgres: 5 });
  });

  it('keeps a figure JSON wrote as null (an empty sample) as NaN, not zero', () => {
    const file = resultsFile();
    const levels = [{ ...file.reports[0].levels[0], postToTerminalMs: { count: 0, p50: null, p95: null, p99: null } }];
    expect(
      sagaFiguresOf({ ...file, reports: [{ ...file.reports[0], levels }] }, 'old-1.json', isStreamProcessor).levels[0]
        .postToTerminalP99Ms,
    ).toBeNaN();
  });

  it('names the field of a shape it does not know, and a file without a saga report', () => {
    expect(() =>
      sagaFiguresOf(resultsFile({ apps: [{ instance: 'orders-1', cpu: 3 }] }), 'old-1.json', isStreamProcessor),
    ).toThrow('old-1.json: saga.apps[0].cpuSecondsPer1000Orders is not a number');
    expect(() =>
      sagaFiguresOf({ machine: {}, reports: [{ name: 'request-reply' }] }, 'x.json', isStreamProcessor),
    ).toThrow('x.json: no saga report');
  });
});
