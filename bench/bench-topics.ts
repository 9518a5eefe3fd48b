/** Topics of the benchmarks only; created by the runner with equal partition counts for both sides. */
export const BenchTopics = {
  RawRequest: 'bench.raw.request',
  RawReply: 'bench.raw.reply',
  NestEcho: 'bench.nest.echo',
  NestEchoReply: 'bench.nest.echo.reply',
  Events: 'bench.events',
} as const;

export const BENCH_PARTITIONS = 3;
