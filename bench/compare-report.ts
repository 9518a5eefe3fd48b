/**
 * The saga figures a comparison needs, read from one run's results file (`bench/results/*.json`) of
 * either commit. Each commit writes the report its own `bench/saga.bench.ts` defines, so the reader
 * names the shapes it knows and refuses any other with the field it missed, rather than guess:
 * - f225c4a (and every commit up to the comparison script): `apps[]`, one entry per process the
 *   system started, with `cpuSecondsPer1000Orders`; the Kafka Streams processor (Java) is one of them;
 *   no broker or PostgreSQL figures.
 * - since the comparison script: the same, plus `infrastructure` (the broker's and PostgreSQL's CPU
 *   per 1 000 orders over the same measured levels).
 * - since the idle-latency phase: the same, plus `idleConfirmMs` (one order at a time, POST → CONFIRMED).
 */
export interface SagaFigures {
  node: string;
  quick: boolean;
  levels: LevelFigures[];
  /** CPU seconds per 1 000 orders, summed over the Node apps (issue 21's measure). */
  nodeAppsCpuPer1000Orders: number;
  /** The same for the other processes, when the report has them. */
  shares: Partial<Record<ShareName, number>>;
  /** One order at a time on the idle system, POST → CONFIRMED; NaN where the report has no such phase. */
  idleConfirmMs: { p50: number; p99: number };
}

export interface LevelFigures {
  concurrency: number;
  ordersPerSecond: number;
  postToTerminalP99Ms: number;
  /** POSTs answered 5xx (the gateway's deadline, an app down): issue 21's throughput must come with none. */
  serverErrors: number;
}

export type ShareName = 'streamProcessor' | 'broker' | 'postgres';

export const shareLabels: Record<ShareName, string> = {
  streamProcessor: 'the stream processor',
  broker: 'the broker',
  postgres: 'PostgreSQL',
};

type Json = Record<string, unknown>;

/**
 * @param isStreamProcessor tells a Kafka Streams instance (e.g. `order-analytics-1`) from a Node app.
 */
export function sagaFiguresOf(
  results: unknown,
  source: string,
  isStreamProcessor: (instance: string) => boolean,
): SagaFigures {
  const read = new ShapeReader(source);
  const file = read.object(results, 'the file');
  const reports = read.array(file.reports, 'reports');
  const saga = reports.map((report, index) => read.object(report, `reports[${index}]`)).find((r) => r.name === 'saga');
  if (!saga) throw new Error(`${source}: no saga report among reports[].name`);
  const levels = read.array(saga.levels, 'saga.levels').map((entry, index): LevelFigures => {
    const level = read.object(entry, `saga.levels[${index}]`);
    const latency = read.object(level.postToTerminalMs, `saga.levels[${index}].postToTerminalMs`);
    const refused = read.object(level.refused, `saga.levels[${index}].refused`);
    return {
      concurrency: read.number(level.concurrency, `saga.levels[${index}].concurrency`),
      ordersPerSecond: read.number(level.ordersPerSecond, `saga.levels[${index}].ordersPerSecond`),
      postToTerminalP99Ms: read.number(latency.p99, `saga.levels[${index}].postToTerminalMs.p99`),
      serverErrors: Object.entries(refused)
        .filter(([status]) => Number(status) >= 500)
        .reduce((sum, [status, count]) => sum + read.number(count, `saga.levels[${index}].refused.${status}`), 0),
    };
  });
  const apps = read.array(saga.apps, 'saga.apps').map((entry, index) => {
    const app = read.object(entry, `saga.apps[${index}]`);
    return {
      instance: read.string(app.instance, `saga.apps[${index}].instance`),
      cpu: read.number(app.cpuSecondsPer1000Orders, `saga.apps[${index}].cpuSecondsPer1000Orders`),
    };
  });
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const streamApps = apps.filter((app) => isStreamProcessor(app.instance));
  const shares: SagaFigures['shares'] = {};
  if (streamApps.length > 0) shares.streamProcessor = sum(streamApps.map((app) => app.cpu));
  if (saga.infrastructure !== undefined) {
    const infrastructure = read.object(saga.infrastructure, 'saga.infrastructure');
    for (const name of ['broker', 'postgres'] as const) {
      if (infrastructure[name] === undefined) continue;
      const process = read.object(infrastructure[name], `saga.infrastructure.${name}`);
      shares[name] = read.number(
        process.cpuSecondsPer1000Orders,
        `saga.infrastructure.${name}.cpuSecondsPer1000Orders`,
      );
    }
  }
  const idleConfirmMs = { p50: Number.NaN, p99: Number.NaN };
  if (saga.idleConfirmMs !== undefined) {
    const idle = read.object(saga.idleConfirmMs, 'saga.idleConfirmMs');
    idleConfirmMs.p50 = read.number(idle.p50, 'saga.idleConfirmMs.p50');
    idleConfirmMs.p99 = read.number(idle.p99, 'saga.idleConfirmMs.p99');
  }
  const machine = read.object(file.machine, 'machine');
  return {
    node: read.string(machine.node, 'machine.node'),
    quick: file.quick === true,
    levels,
    nodeAppsCpuPer1000Orders: sum(apps.filter((app) => !isStreamProcessor(app.instance)).map((app) => app.cpu)),
    shares,
    idleConfirmMs,
  };
}

/** Checks one field at a time and names the one that does not fit. */
class ShapeReader {
  constructor(private readonly source: string) {}

  object(value: unknown, path: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.misfit(path, 'an object');
    return value as Json;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) throw this.misfit(path, 'an array');
    return value;
  }

  number(value: unknown, path: string): number {
    // JSON writes NaN (an empty sample) as null: keep it NaN, so it shows as missing rather than zero.
    if (value === null) return Number.NaN;
    if (typeof value !== 'number') throw this.misfit(path, 'a number');
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') throw this.misfit(path, 'a string');
    return value;
  }

  private misfit(path: string, expected: string): Error {
    return new Error(
      `${this.source}: ${path} is not ${expected}; a saga report of a shape bench/compare-report.ts does not know`,
    );
  }
}
