import type { EventConsumptionReport } from './event-consumption.bench';
import type { MemoryReport } from './memory.bench';
import { renderTable, reportTable, rowsOf } from './report-table';
import type { RequestReplyReport } from './request-reply.bench';
import type { SagaReport } from './saga.bench';

const latency = (p50: number, p99: number, requestsPerSecond: number) => ({
  count: 2000,
  p50,
  p95: (p50 + p99) / 2,
  p99,
  requestsPerSecond,
});

const appSettings = { 'fetch wait': '1000 ms', acks: 'kafkajs default' };

function requestReply(
  ratios: RequestReplyReport['ratios'],
  rawResponder: Record<string, string> = appSettings,
): RequestReplyReport {
  return {
    name: 'request-reply',
    raw: { sequential: latency(7.59, 52.9, 94), concurrent16: latency(30.5, 168, 418) },
    orderflow: { sequential: latency(5.72, 33.5, 138), concurrent16: latency(15, 43.6, 948) },
    ratios,
    kafka: {
      raw: { requester: appSettings, responder: rawResponder },
      orderflow: { requester: appSettings, responder: appSettings },
    },
    target: '',
  };
}

const rate = (messagesPerSecond: number) => ({ messages: 100_000, seconds: 1, messagesPerSecond });

function eventConsumption(ratios: Partial<EventConsumptionReport['ratios']>): EventConsumptionReport {
  const contenders = {
    rawEachMessage: rate(66_667),
    rawEachBatch: rate(82_645),
    orderflow: rate(30_021),
    orderflowInBatches: rate(70_373),
  };
  return {
    name: 'event-consumption',
    events: 100_000,
    transport: contenders,
    fullPath: contenders,
    ratios: {
      transport: 0.45,
      transportInBatches: 1.06,
      transportInBatchesToRawEachBatch: 0.85,
      fullPath: 0.9,
      fullPathInBatches: 9.1,
      fullPathInBatchesToRawEachBatch: 0.54,
      ...ratios,
    },
    target: '',
  };
}

function saga(ordersPerSecond: number[], terminalP99Ms: number, idleRssMb: number, idleConfirmP99Ms = 140): SagaReport {
  const level = (concurrency: number, rate: number) => ({
    concurrency,
    seconds: 30,
    accepted: 300,
    refused: {},
    unanswered: 0,
    terminal: 300,
    confirmed: 280,
    cancelled: 20,
    ordersPerSecond: rate,
    postToTerminalMs: { count: 300, p50: 500, p95: 800, p99: terminalP99Ms },
    postMs: { count: 300, p50: 20, p95: 40, p99: 60 },
    searchProjectionLagMs: { count: 900, p50: 120, p99: 480 },
  });
  const levels = ordersPerSecond.map((rate, index) => level([8, 32, 64][index], rate));
  const { searchProjectionLagMs: _lag, ...warmUp } = levels[0];
  return {
    name: 'saga',
    warmUp,
    levels,
    searchFreshnessMs: { count: 10, p50: 300, p95: 600, p99: 700 },
    searchProjectionLagMs: { count: 2700, p50: 120, p99: 480 },
    idleConfirmMs: { count: 200, p50: 48, p95: 120, p99: idleConfirmP99Ms },
    apps: [
      { instance: 'orders-1', idleRssMb, endRssMb: 160, cpuSecondsPer1000Orders: 24 },
      { instance: 'gateway-1', idleRssMb: 128, endRssMb: 150, cpuSecondsPer1000Orders: 19.6 },
    ],
    infrastructure: {
      broker: { cpuSecondsPer1000Orders: 12.5 },
      postgres: { cpuSecondsPer1000Orders: 8, backends: 14 },
    },
    target: '',
  } as SagaReport;
}

describe('the benchmark report table', () => {
  it('judges request-reply against p50 ≤ 1.5× and p99 ≤ 2× raw in each mode', () => {
    const rows = rowsOf(
      requestReply({ sequentialP50: 1.5, sequentialP99: 2, concurrentP50: 1.51, concurrentP99: 0.9 }),
    );
    expect(rows.map((row) => row.targetMet)).toEqual(['yes', 'no', '', '']);
    expect(rows[0].raw).toBe('p50 7.59, p95 30.2, p99 52.9 ms, 94 req/s');
  });

  it("prints both sides' Kafka settings and names those that differ", () => {
    const same = rowsOf(requestReply({ sequentialP50: 1, sequentialP99: 1, concurrentP50: 1, concurrentP99: 1 }));
    expect(same[2]).toMatchObject({
      benchmark: "request-reply, the requester's Kafka settings",
      raw: 'fetch wait 1000 ms; acks kafkajs default',
      ratio: 'the same',
    });
    const differing = rowsOf(
      requestReply(
        { sequentialP50: 1, sequentialP99: 1, concurrentP50: 1, concurrentP99: 1 },
        {
          'fetch wait': '50 ms',
          acks: 'kafkajs default',
        },
      ),
    );
    expect(differing[3]).toMatchObject({ raw: 'fetch wait 50 ms; acks kafkajs default', ratio: 'differ: fetch wait' });
  });

  it('judges a handler per message and InBatches apart against 0.8× raw eachMessage', () => {
    const [transport, fullPath] = rowsOf(eventConsumption({ transport: 0.79, fullPath: 0.8, fullPathInBatches: 0.5 }));
    expect(transport.targetMet).toBe('per message no, InBatches yes');
    expect(fullPath.targetMet).toBe('per message yes, InBatches no');
    expect(transport.raw).toBe('eachMessage 66 667 msg/s; eachBatch 82 645 msg/s');
  });

  it('meets the saga target only when every level reaches 300 orders/s with p99 under 1 s', () => {
    const [levels] = rowsOf(saga([300, 310, 320], 999, 130));
    expect(levels.targetMet).toBe('yes');
    expect(levels.orderflow).toBe(
      '300 / 310 / 320 orders/s; POST → terminal p50 0.5 / 0.5 / 0.5 s, p95 0.8 / 0.8 / 0.8 s, p99 1.0 / 1.0 / 1.0 s',
    );
    expect(rowsOf(saga([300, 299, 320], 999, 130))[0].targetMet).toBe('no');
    expect(rowsOf(saga([300, 310, 320], 1_000, 130))[0].targetMet).toBe('no');
  });

  it('checks idle RSS per app against 150 MB and sums CPU per 1 000 orders, busiest app first', () => {
    const rows = rowsOf(saga([10, 11, 4], 4_000, 150));
    expect(rows.find((row) => row.benchmark.startsWith('RSS'))?.targetMet).toBe('idle no');
    expect(rows.find((row) => row.benchmark.startsWith('CPU'))?.orderflow).toBe('43.6 (orders-1 24.0, gateway-1 19.6)');
    expect(rows.find((row) => row.benchmark.startsWith('CPU beside'))?.orderflow).toBe(
      'the broker 12.5, PostgreSQL 8.00 (its 14 backends serving the run)',
    );
  });

  it('judges one order at a time on the idle system against p50 ≤ 50 ms and p99 ≤ 150 ms', () => {
    const idleRow = (p99: number) =>
      rowsOf(saga([10], 4_000, 130, p99)).find((row) => row.benchmark.startsWith('one order'));
    expect(idleRow(150)).toMatchObject({
      benchmark: 'one order at a time on the idle system, POST → CONFIRMED (200 orders)',
      orderflow: 'p50 48 ms, p95 120 ms, p99 150 ms',
      targetMet: 'yes',
    });
    expect(idleRow(151)?.targetMet).toBe('no');
  });

  it('renders a Markdown table whose columns line up', () => {
    const lines = reportTable(
      requestReply({ sequentialP50: 0.75, sequentialP99: 0.63, concurrentP50: 0.49, concurrentP99: 0.26 }),
    ).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^\| benchmark +\| raw kafkajs +\| Orderflow +\| ratio +\| target met\? \|$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(renderTable([])).toContain('| ---');
  });
});

describe('the memory rows', () => {
  const role = (name: string, rssMb: number, pssMb: number, processes = 1) => ({ role: name, processes, rssMb, pssMb });
  const memory = (byRole: ReturnType<typeof role>[]): MemoryReport => ({
    name: 'memory',
    settleSeconds: 30,
    processes: [],
    system: {
      rssMb: byRole.reduce((sum, entry) => sum + entry.rssMb, 0),
      pssMb: byRole.reduce((sum, entry) => sum + entry.pssMb, 0),
    },
    byRole,
    target: '',
  });

  it('judge the whole system by each page once and by RSS summed, and each app but the broker and the database', () => {
    const [resident, summed, perApp] = rowsOf(
      memory([
        role('orders', 140, 90),
        role('gateway', 149, 95),
        role('broker', 400, 390),
        role('database', 140, 60, 12),
        role('launcher', 160, 100, 3),
      ]),
    );
    expect(resident).toMatchObject({
      orderflow: expect.stringMatching(/^735 MB \(orders 90, gateway 95/),
      targetMet: 'yes',
    });
    expect(summed).toMatchObject({ orderflow: expect.stringMatching(/^989 MB/), targetMet: 'yes' });
    expect(perApp).toMatchObject({ orderflow: '140.0–149.0 MB (gateway)', targetMet: 'yes' });
  });

  it('say no when an app reaches 150 MB or the system passes 1 500 MB', () => {
    const [resident, summed, perApp] = rowsOf(memory([role('gateway', 150, 95), role('broker', 1_400, 1_406)]));
    expect([resident.targetMet, summed.targetMet, perApp.targetMet]).toEqual(['no', 'no', 'no']);
  });
});
