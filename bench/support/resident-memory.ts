import { readdirSync, readFileSync } from 'node:fs';

/** What one process holds in memory, from /proc/<pid>/smaps_rollup. */
export interface ResidentMemory {
  /** Resident pages, shared ones included (the Node binary's code, PostgreSQL's shared buffers). */
  rssMb: number;
  /** Resident pages, each shared one split among the processes that map it: summed, each page counts once. */
  pssMb: number;
}

export function residentMemory(pid: number): ResidentMemory {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? Number.NaN);
  return { rssMb: kb('Rss') / 1024, pssMb: kb('Pss') / 1024 };
}

/** A running process as /proc/<pid>/stat and cmdline give it. */
export interface ProcessEntry {
  pid: number;
  parentPid: number;
  sessionId: number;
  commandLine: string;
}

/** Every process of the machine that is still there when read. */
export function runningProcesses(): ProcessEntry[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // After the command name (which may hold spaces): state, ppid, pgrp, session, ...
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
        return [{ pid: Number(name), parentPid: Number(fields[1]), sessionId: Number(fields[3]), commandLine }];
      } catch {
        return []; // it exited meanwhile
      }
    });
}

/** `root` and every process below it. */
export function processTree(processes: readonly ProcessEntry[], root: number): ProcessEntry[] {
  const tree = processes.filter((entry) => entry.pid === root);
  for (let index = 0; index < tree.length; index += 1) {
    tree.push(...processes.filter((entry) => entry.parentPid === tree[index].pid));
  }
  return tree;
}
