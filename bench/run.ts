import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import 'reflect-metadata';
import { compareBenchmark } from './compare';
import { eventConsumptionBenchmark } from './event-consumption.bench';
import { memoryBenchmark } from './memory.bench';
import { BenchReport, renderTable, reportTable, rowsOf } from './report-table';
import { requestReplyBenchmark } from './request-reply.bench';
import { sagaBenchmark } from './saga.bench';
import { BenchEnvironment, openBenchEnvironment } from './support/bench-environment';
import { machineFacts } from './support/machine';

/** Each benchmark starts what it needs on the run's broker and returns a JSON-able report. */
const benchmarks = {
  'request-reply': requestReplyBenchmark,
  'event-consumption': eventConsumptionBenchmark,
  saga: sagaBenchmark,
  // Last: it runs `npm start`, whose build replaces dist/.
  memory: memoryBenchmark,
} as const satisfies Record<string, (environment: BenchEnvironment) => Promise<BenchReport>>;

type BenchmarkName = keyof typeof benchmarks;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // Not a benchmark of this checkout: each side runs its own saga benchmark from a worktree of its own.
  if (args[0] === 'compare') return compareBenchmark(args.slice(1));
  const quick = args.includes('--quick');
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}`);
  }
  const selected = (names.length > 0 ? names : Object.keys(benchmarks)) as BenchmarkName[];
  const machine = await machineFacts();
  console.log(
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GiB, Node ${machine.node}, ${machine.java}, Kafka ${machine.kafka}`,
  );
  const environment = await openBenchEnvironment(quick);
  const reports: BenchReport[] = [];
  try {
    for (const name of selected) {
      console.log(`\n== ${name}${quick ? ' (quick)' : ''}`);
      const report = await benchmarks[name](environment);
      console.log(reportTable(report));
      reports.push(report);
    }
  } finally {
    await environment.close();
  }
  const resultsDir = resolve(process.cwd(), 'bench/results');
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ machine, quick, reports }, null, 2));
  if (reports.length > 1) {
    console.log(`\n== all (${machine.cores} cores, ${machine.cpuModel}${quick ? ', quick' : ''})`);
    console.log(renderTable(reports.flatMap(rowsOf)));
  }
  console.log(`\nresults written to ${file} (every figure of every report, and the machine)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
