import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import 'reflect-metadata';
import { eventConsumptionBenchmark } from './event-consumption.bench';
import { requestReplyBenchmark } from './request-reply.bench';
import { sagaBenchmark } from './saga.bench';
import { openBenchEnvironment } from './support/bench-environment';
import { machineFacts } from './support/machine';

/** Each benchmark starts what it needs on the run's broker and returns a JSON-able report. */
const benchmarks = {
  'request-reply': requestReplyBenchmark,
  'event-consumption': eventConsumptionBenchmark,
  saga: sagaBenchmark,
} as const;

type BenchmarkName = keyof typeof benchmarks;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
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
  const reports: unknown[] = [];
  try {
    for (const name of selected) {
      console.log(`\n== ${name}${quick ? ' (quick)' : ''}`);
      const report = await benchmarks[name](environment);
      console.log(JSON.stringify(report, null, 2));
      reports.push(report);
    }
  } finally {
    await environment.close();
  }
  const resultsDir = resolve(process.cwd(), 'bench/results');
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ machine, quick, reports }, null, 2));
  console.log(`\nresults written to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
