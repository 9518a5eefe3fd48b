import { LevelFigures, SagaFigures, ShareName, shareLabels } from './compare-report';
import { decimal, renderColumns } from './report-table';
import { RatioTargets, Targets } from './targets';

/** One line of the comparison: a figure of each side (the median of its rounds), new / old, and the verdict. */
export interface ComparisonRow {
  figure: string;
  old: string;
  new: string;
  ratio: string;
  target: string;
}

/** Both sides' runs, each side's figures taken as the median of its rounds. */
export function comparisonRows(old: readonly SagaFigures[], current: readonly SagaFigures[]): ComparisonRow[] {
  const concurrencies = [...new Set([...old, ...current].flatMap((run) => run.levels.map((l) => l.concurrency)))].sort(
    (a, b) => a - b,
  );
  const atLevel = (concurrency: number, figure: (level: LevelFigures) => number) => (run: SagaFigures) => {
    const level = run.levels.find((candidate) => candidate.concurrency === concurrency);
    return level ? figure(level) : Number.NaN;
  };
  const rows: ComparisonRow[] = [];
  for (const concurrency of concurrencies) {
    const throughput = compare(
      old,
      current,
      atLevel(concurrency, (level) => level.ordersPerSecond),
    );
    const serverErrors = compare(
      old,
      current,
      atLevel(concurrency, (level) => level.serverErrors),
    );
    rows.push({
      figure: `orders/s at concurrency ${concurrency}`,
      ...throughput.cells(decimal),
      target:
        concurrency === RatioTargets.throughputConcurrency
          ? throughputVerdict(throughput.ratio, current, concurrency)
          : '',
    });
    rows.push({
      figure: `POST → terminal p99 at concurrency ${concurrency}, s`,
      ...compare(
        old,
        current,
        atLevel(concurrency, (level) => level.postToTerminalP99Ms / 1000),
      ).cells((s) => s.toFixed(2)),
      target: '',
    });
    rows.push({
      figure: `5xx answers at concurrency ${concurrency}`,
      ...serverErrors.cells(String),
      ratio: '',
      target: '',
    });
  }
  if (!concurrencies.includes(RatioTargets.throughputConcurrency)) {
    rows.push({
      figure: `orders/s at concurrency ${RatioTargets.throughputConcurrency}`,
      old: 'no such level',
      new: 'no such level',
      ratio: '',
      target: `≥ ${RatioTargets.minThroughputRatio}×: not measured (a --quick run has one level, ${concurrencies.join(', ')})`,
    });
  }
  for (const quantile of ['p50', 'p99'] as const) {
    const idle = compare(old, current, (run) => run.idleConfirmMs[quantile]);
    const limit = quantile === 'p50' ? Targets.idleConfirmP50Ms : Targets.idleConfirmP99Ms;
    const newMedian = median(idle.newValues);
    rows.push({
      figure: `one order on an idle system, POST → CONFIRMED ${quantile}, ms`,
      ...idle.cells((ms) => ms.toFixed(0), 'not in the report'),
      target: `≤ ${limit} ms: ${Number.isNaN(newMedian) ? 'not measured' : newMedian <= limit ? 'yes' : 'no'}`,
    });
  }
  const cpu = compare(old, current, (run) => run.nodeAppsCpuPer1000Orders);
  rows.push({
    figure: 'CPU s per 1 000 orders, summed over the Node apps',
    ...cpu.cells(decimal),
    target: `≤ 1/${Math.round(1 / RatioTargets.maxCpuPerOrderRatio)}: ${verdict(cpu.ratio <= RatioTargets.maxCpuPerOrderRatio, cpu.ratio)}`,
  });
  for (const share of Object.keys(shareLabels) as ShareName[]) {
    const figures = compare(old, current, (run) => run.shares[share] ?? Number.NaN);
    if ([figures.oldValues, figures.newValues].every((values) => values.every(Number.isNaN))) {
      rows.push({
        figure: `CPU s per 1 000 orders, ${shareLabels[share]}`,
        old: 'not in the report',
        new: 'not in the report',
        ratio: '',
        target: '',
      });
      continue;
    }
    rows.push({
      figure: `CPU s per 1 000 orders, ${shareLabels[share]}`,
      ...figures.cells(decimal, 'not in the report'),
      target: '',
    });
  }
  return rows;
}

export function renderComparison(rows: readonly ComparisonRow[], labels: { old: string; new: string }): string {
  return renderColumns(
    ['figure', labels.old, labels.new, 'new / old', 'issue 21 target'],
    rows.map((row) => [row.figure, row.old, row.new, row.ratio, row.target]),
  );
}

/** The middle value, or the mean of the two middle ones; NaN when no run has the figure. */
export function median(values: readonly number[]): number {
  const known = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (known.length === 0) return Number.NaN;
  const middle = Math.floor(known.length / 2);
  return known.length % 2 === 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
}

function compare(old: readonly SagaFigures[], current: readonly SagaFigures[], figure: (run: SagaFigures) => number) {
  const oldValues = old.map(figure);
  const newValues = current.map(figure);
  const ratio = median(newValues) / median(oldValues);
  return {
    oldValues,
    newValues,
    ratio,
    cells: (format: (value: number) => string, missing = '–') => ({
      old: side(oldValues, format, missing),
      new: side(newValues, format, missing),
      ratio: Number.isFinite(ratio) ? ratio.toFixed(2) : '–',
    }),
  };
}

/** The median, and the rounds' range when there is more than one. */
function side(values: readonly number[], format: (value: number) => string, missing: string): string {
  const known = values.filter((value) => !Number.isNaN(value));
  if (known.length === 0) return missing;
  const middle = format(median(known));
  return known.length > 1 ? `${middle} (${format(Math.min(...known))}–${format(Math.max(...known))})` : middle;
}

function throughputVerdict(ratio: number, current: readonly SagaFigures[], concurrency: number): string {
  const errors = current.flatMap((run) =>
    run.levels.filter((level) => level.concurrency === concurrency && level.serverErrors > 0),
  );
  const holds = ratio >= RatioTargets.minThroughputRatio && errors.length === 0;
  return `≥ ${RatioTargets.minThroughputRatio}× with no 5xx: ${verdict(holds, ratio)}${errors.length > 0 ? ' (5xx answered)' : ''}`;
}

function verdict(holds: boolean, ratio: number): string {
  if (!Number.isFinite(ratio)) return 'not measured';
  return holds ? 'yes' : 'no';
}
