import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // _SC_CLK_TCK on Linux

export interface ProcessUsage {
  rssMb: number;
  cpuSeconds: number;
}

/** RSS and CPU time (user + system) of a process, from /proc. */
export function processUsage(pid: number): ProcessUsage {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  // Fields after the command name (which may contain spaces) start at index 2 of the remainder.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMb: rssKb / 1024, cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
}
