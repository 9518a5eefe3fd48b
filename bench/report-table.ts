import type { EventConsumptionReport } from './event-consumption.bench';
import type { MemoryReport } from './memory.bench';
import type { RequestReplyReport } from './request-reply.bench';
import type { SagaReport } from './saga.bench';
import { Targets } from './targets';

export type BenchReport = RequestReplyReport | EventConsumptionReport | SagaReport | MemoryReport;

/** One line of the printed table: what was measured, both sides, their ratio and whether the target holds. */
export interface TableRow {
  benchmark: string;
  raw: string;
  orderflow: string;
  ratio: string;
  targetMet: string;
}

const headings: TableRow = {
  benchmark: 'benchmark',
  raw: 'raw kafkajs',
  orderflow: 'Orderflow',
  ratio: 'ratio',
  targetMet: 'target met?',
};

/** A report as a table of absolute figures, ratios and targets (the full report is in bench/results). */
export function reportTable(report: BenchReport): string {
  return renderTable(rowsOf(report));
}

export function rowsOf(report: BenchReport): TableRow[] {
  switch (report.name) {
    case 'request-reply':
      return requestReplyRows(report);
    case 'event-consumption':
      return eventConsumptionRows(report);
    case 'saga':
      return sagaRows(report);
    case 'memory':
      return memoryRows(report);
    default:
      return assertNever(report);
  }
}

function requestReplyRows(report: RequestReplyReport): TableRow[] {
  const { raw, orderflow, ratios } = report;
  const latency = (mode: RequestReplyReport['raw']['sequential']) =>
    `p50 ${decimal(mode.p50)}, p95 ${decimal(mode.p95)}, p99 ${decimal(mode.p99)} ms, ${grouped(mode.requestsPerSecond)} req/s`;
  const row = (mode: 'sequential' | 'concurrent16', p50: number, p99: number): TableRow => ({
    benchmark: `request-reply, ${mode === 'sequential' ? 'sequential' : 'concurrency 16'} (${grouped(raw[mode].count)} requests)`,
    raw: latency(raw[mode]),
    orderflow: latency(orderflow[mode]),
    ratio: `p50 ${p50}, p99 ${p99}`,
    targetMet: yesNo(p50 <= Targets.requestReplyP50 && p99 <= Targets.requestReplyP99),
  });
  const settings = (role: 'requester' | 'responder'): TableRow => {
    const [rawSettings, orderflowSettings] = [report.kafka.raw[role], report.kafka.orderflow[role]];
    const differing = [...new Set([...Object.keys(rawSettings), ...Object.keys(orderflowSettings)])].filter(
      (name) => rawSettings[name] !== orderflowSettings[name],
    );
    return {
      benchmark: `request-reply, the ${role}'s Kafka settings`,
      raw: describeSettings(rawSettings),
      orderflow: describeSettings(orderflowSettings),
      ratio: differing.length === 0 ? 'the same' : `differ: ${differing.join(', ')}`,
      targetMet: '',
    };
  };
  return [
    row('sequential', ratios.sequentialP50, ratios.sequentialP99),
    row('concurrent16', ratios.concurrentP50, ratios.concurrentP99),
    settings('requester'),
    settings('responder'),
  ];
}

function describeSettings(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

function eventConsumptionRows(report: EventConsumptionReport): TableRow[] {
  const { transport, fullPath, ratios, events } = report;
  const rate = (result: { messagesPerSecond: number }) => `${grouped(result.messagesPerSecond)} msg/s`;
  const row = (
    benchmark: string,
    contenders: EventConsumptionReport['transport'],
    perMessage: number,
    inBatches: number,
    inBatchesToRawBatch: number,
  ): TableRow => ({
    benchmark: `${benchmark} (${grouped(events)} events)`,
    raw: `eachMessage ${rate(contenders.rawEachMessage)}; eachBatch ${rate(contenders.rawEachBatch)}`,
    orderflow: `a handler per message ${rate(contenders.orderflow)}; InBatches ${rate(contenders.orderflowInBatches)}`,
    ratio: `${perMessage}; InBatches ${inBatches} (${inBatchesToRawBatch} of raw eachBatch)`,
    targetMet: `per message ${yesNo(perMessage >= Targets.consumption)}, InBatches ${yesNo(inBatches >= Targets.consumption)}`,
  });
  return [
    row(
      'event consumption, transport alone',
      transport,
      ratios.transport,
      ratios.transportInBatches,
      ratios.transportInBatchesToRawEachBatch,
    ),
    row(
      'event consumption, validation + inbox write',
      fullPath,
      ratios.fullPath,
      ratios.fullPathInBatches,
      ratios.fullPathInBatchesToRawEachBatch,
    ),
  ];
}

function sagaRows(report: SagaReport): TableRow[] {
  const { levels, apps, infrastructure } = report;
  const slash = (values: (number | string)[]) => values.join(' / ');
  const levelsMeet = levels.every(
    (level) => level.ordersPerSecond >= Targets.ordersPerSecond && level.postToTerminalMs.p99 < Targets.terminalP99Ms,
  );
  const idleRss = apps.map((app) => app.idleRssMb);
  const endRss = apps.map((app) => app.endRssMb);
  const cpu = [...apps].sort((a, b) => b.cpuSecondsPer1000Orders - a.cpuSecondsPer1000Orders);
  const cpuTotal = cpu.reduce((sum, app) => sum + app.cpuSecondsPer1000Orders, 0);
  const lag = report.searchProjectionLagMs;
  const idle = report.idleConfirmMs;
  return [
    {
      benchmark: `saga, ${levels[0]?.seconds ?? 0} s per level at concurrency ${slash(levels.map((level) => level.concurrency))}`,
      raw: '',
      orderflow:
        `${slash(levels.map((level) => level.ordersPerSecond))} orders/s; ` +
        `POST → terminal p50 ${slash(levels.map((level) => seconds(level.postToTerminalMs.p50)))} s, ` +
        `p95 ${slash(levels.map((level) => seconds(level.postToTerminalMs.p95)))} s, ` +
        `p99 ${slash(levels.map((level) => seconds(level.postToTerminalMs.p99)))} s`,
      ratio: '',
      targetMet: yesNo(levelsMeet),
    },
    {
      benchmark: `one order at a time on the idle system, POST → CONFIRMED (${grouped(idle.count)} orders)`,
      raw: '',
      orderflow: `p50 ${grouped(idle.p50)} ms, p95 ${grouped(idle.p95)} ms, p99 ${grouped(idle.p99)} ms`,
      ratio: '',
      targetMet: yesNo(idle.p50 <= Targets.idleConfirmP50Ms && idle.p99 <= Targets.idleConfirmP99Ms),
    },
    {
      benchmark: 'search projection lag (publication → commit)',
      raw: '',
      orderflow: `p50 ${grouped(lag.p50)} ms, p99 ${grouped(lag.p99)} ms (${grouped(lag.count)} events)`,
      ratio: '',
      targetMet: yesNo(lag.p99 < Targets.searchLagP99Ms),
    },
    {
      benchmark: 'RSS per app, idle / at the end',
      raw: '',
      orderflow: `${range(idleRss)} / ${range(endRss)} MB`,
      ratio: '',
      targetMet: `idle ${yesNo(Math.max(...idleRss) < Targets.idleRssMb)}`,
    },
    {
      benchmark: 'CPU seconds per 1 000 orders, summed over the apps',
      raw: '',
      orderflow: `${decimal(cpuTotal)} (${cpu.map((app) => `${app.instance} ${decimal(app.cpuSecondsPer1000Orders)}`).join(', ')})`,
      ratio: '',
      targetMet: '',
    },
    {
      benchmark: 'CPU beside the apps, seconds per 1 000 orders',
      raw: '',
      orderflow:
        `the broker ${infrastructure.broker ? decimal(infrastructure.broker.cpuSecondsPer1000Orders) : '(an outside cluster)'}, ` +
        `PostgreSQL ${decimal(infrastructure.postgres.cpuSecondsPer1000Orders)} (its ${infrastructure.postgres.backends} backends serving the run)`,
      ratio: '',
      targetMet: '',
    },
  ];
}

function memoryRows(report: MemoryReport): TableRow[] {
  const { system, byRole, settleSeconds } = report;
  const appRoles = byRole.filter((role) => !['launcher', 'broker', 'database'].includes(role.role));
  const megabytes = (value: number) => `${grouped(value)} MB`;
  return [
    {
      benchmark: `npm start, the whole system ${settleSeconds} s after it is up: resident, each page once (PSS summed)`,
      raw: '',
      orderflow: `${megabytes(system.pssMb)} (${byRole.map((role) => `${role.role} ${grouped(role.pssMb)}`).join(', ')})`,
      ratio: '',
      targetMet: yesNo(system.pssMb <= Targets.systemResidentMb),
    },
    {
      benchmark: 'npm start, the whole system: RSS summed per process (shared pages once per process)',
      raw: '',
      orderflow: `${megabytes(system.rssMb)} (${byRole.map((role) => `${role.role} ${grouped(role.rssMb)}`).join(', ')})`,
      ratio: '',
      targetMet: yesNo(system.rssMb <= Targets.systemResidentMb),
    },
    {
      benchmark: 'npm start, RSS per app idle (largest)',
      raw: '',
      orderflow: `${range(appRoles.map((role) => role.rssMb))} MB (${[...appRoles].sort((a, b) => b.rssMb - a.rssMb)[0]?.role ?? 'none'})`,
      ratio: '',
      targetMet: yesNo(Math.max(...appRoles.map((role) => role.rssMb)) < Targets.idleRssMb),
    },
  ];
}

/** A Markdown table, columns padded so it also reads as plain text. */
export function renderTable(rows: TableRow[]): string {
  const columns = Object.keys(headings) as (keyof TableRow)[];
  return renderColumns(
    columns.map((column) => headings[column]),
    rows.map((row) => columns.map((column) => row[column])),
  );
}

/** Any table of text cells as Markdown, each column padded to its widest cell. */
export function renderColumns(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headings, ...rows];
  const widths = headings.map((_, index) => Math.max(3, ...all.map((row) => (row[index] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((width, index) => (cells[index] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(headings), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function yesNo(isMet: boolean): string {
  return isMet ? 'yes' : 'no';
}

/** 66667 → "66 667", as the README writes figures. */
export function grouped(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function decimal(value: number): string {
  return value.toFixed(value < 10 ? 2 : 1);
}

function seconds(milliseconds: number): string {
  return (milliseconds / 1000).toFixed(1);
}

function range(values: number[]): string {
  return `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
}

function assertNever(value: never): never {
  throw new Error(`no table for report ${JSON.stringify(value)}`);
}
