import type { SagaFigures } from './compare-report';
import { comparisonRows, median, renderComparison } from './compare-table';

function run(
  ordersPerSecond: Record<number, number>,
  cpu: number,
  shares: SagaFigures['shares'] = {},
  errors = 0,
  idleConfirmMs = { p50: Number.NaN, p99: Number.NaN },
): SagaFigures {
  return {
    node: 'v24.22.3',
    quick: false,
    levels: Object.entries(ordersPerSecond).map(([concurrency, rate]) => ({
      concurrency: Number(concurrency),
      ordersPerSecond: rate,
      postToTerminalP99Ms: 4000 / rate,
      serverErrors: errors,
    })),
    nodeAppsCpuPer1000Orders: cpu,
    shares,
    idleConfirmMs,
  };
}

const rowOf = (rows: ReturnType<typeof comparisonRows>, figure: string) => rows.find((row) => row.figure === figure);

describe('comparisonRows', () => {
  it('sets the medians of the rounds side by side and judges the ratio targets', () => {
    const old = [run({ 8: 10, 32: 12 }, 100), run({ 8: 11, 32: 14 }, 90)];
    const current = [run({ 8: 40, 32: 39 }, 30), run({ 8: 42, 32: 41 }, 31)];
    const rows = comparisonRows(old, current);
    expect(rowOf(rows, 'orders/s at concurrency 32')).toEqual({
      figure: 'orders/s at concurrency 32',
      old: '13.0 (12.0–14.0)',
      new: '40.0 (39.0–41.0)',
      ratio: '3.08',
      target: '≥ 3× with no 5xx: yes',
    });
    expect(rowOf(rows, 'orders/s at concurrency 8')?.target).toBe('');
    expect(rowOf(rows, 'CPU s per 1 000 orders, summed over the Node apps')).toMatchObject({
      ratio: '0.32',
      target: '≤ 1/3: yes',
    });
  });

  it('misses the throughput target below 3× or with any 5xx, and the CPU target above 1/3', () => {
    const rows = comparisonRows([run({ 32: 10 }, 90)], [run({ 32: 29 }, 31)]);
    expect(rowOf(rows, 'orders/s at concurrency 32')?.target).toBe('≥ 3× with no 5xx: no');
    expect(rowOf(rows, 'CPU s per 1 000 orders, summed over the Node apps')?.target).toBe('≤ 1/3: no');
    const withErrors = comparisonRows([run({ 32: 10 }, 90)], [run({ 32: 50 }, 20, {}, 2)]);
    expect(rowOf(withErrors, 'orders/s at concurrency 32')?.target).toBe('≥ 3× with no 5xx: no (5xx answered)');
  });

  it('says that a quick run has no concurrency-32 level instead of judging it', () => {
    const rows = comparisonRows([run({ 16: 10 }, 90)], [run({ 16: 12 }, 80)]);
    expect(rowOf(rows, 'orders/s at concurrency 32')?.target).toBe(
      '≥ 3×: not measured (a --quick run has one level, 16)',
    );
  });

  it('shows the shares a report has and says which it lacks', () => {
    const rows = comparisonRows(
      [run({ 16: 10 }, 90, { streamProcessor: 3 })],
      [run({ 16: 12 }, 80, { streamProcessor: 2, broker: 9 })],
    );
    expect(rowOf(rows, 'CPU s per 1 000 orders, the stream processor')).toMatchObject({
      old: '3.00',
      new: '2.00',
      ratio: '0.67',
    });
    expect(rowOf(rows, 'CPU s per 1 000 orders, the broker')).toMatchObject({
      old: 'not in the report',
      new: '9.00',
      ratio: '–',
    });
    expect(rowOf(rows, 'CPU s per 1 000 orders, PostgreSQL')).toMatchObject({
      old: 'not in the report',
      new: 'not in the report',
    });
  });

  it('judges one order on an idle system in absolute terms, and says when the old report lacks it', () => {
    const rows = comparisonRows(
      [run({ 16: 10 }, 90)],
      [run({ 16: 12 }, 80, {}, 0, { p50: 45, p99: 180 }), run({ 16: 12 }, 80, {}, 0, { p50: 55, p99: 140 })],
    );
    expect(rowOf(rows, 'one order on an idle system, POST → CONFIRMED p50, ms')).toEqual({
      figure: 'one order on an idle system, POST → CONFIRMED p50, ms',
      old: 'not in the report',
      new: '50 (45–55)',
      ratio: '–',
      target: '≤ 50 ms: yes',
    });
    expect(rowOf(rows, 'one order on an idle system, POST → CONFIRMED p99, ms')?.target).toBe('≤ 150 ms: no');
    const neither = comparisonRows([run({ 16: 10 }, 90)], [run({ 16: 12 }, 80)]);
    expect(rowOf(neither, 'one order on an idle system, POST → CONFIRMED p50, ms')?.target).toBe(
      '≤ 50 ms: not measured',
    );
  });

  it('renders the sides under their labels', () => {
    const table = renderComparison(comparisonRows([run({ 16: 10 }, 90)], [run({ 16: 12 }, 80)]), {
      old: 'old f225c4a',
      new: 'new d70dd45',
    });
    expect(table.split('\n')[0]).toMatch(
      /^\| figure +\| old f225c4a +\| new d70dd45 +\| new \/ old +\| issue 21 target +\|$/,
    );
    expect(table).toContain('| orders/s at concurrency 16 ');
  });
});

describe('median', () => {
  it('takes the middle value, the mean of the two middle ones, and skips missing figures', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });
});
