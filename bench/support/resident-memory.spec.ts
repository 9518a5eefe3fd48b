import { processTree, residentMemory, runningProcesses } from './resident-memory';

describe('resident memory', () => {
  it("reads this process's RSS and PSS, PSS no larger than RSS", () => {
    const { rssMb, pssMb } = residentMemory(process.pid);
    expect(rssMb).toBeGreaterThan(10);
    expect(pssMb).toBeGreaterThan(0);
    expect(pssMb).toBeLessThanOrEqual(rssMb);
  });

  it('finds a process and everything below it, and nothing beside it', () => {
    const processes = [
      { pid: 1, parentPid: 0, sessionId: 1, commandLine: 'init' },
      { pid: 10, parentPid: 1, sessionId: 10, commandLine: 'npm start' },
      { pid: 11, parentPid: 10, sessionId: 10, commandLine: 'node start.js' },
      { pid: 12, parentPid: 11, sessionId: 10, commandLine: 'node orders' },
      { pid: 20, parentPid: 1, sessionId: 20, commandLine: 'postgres' },
    ];
    expect(processTree(processes, 10).map((entry) => entry.pid)).toEqual([10, 11, 12]);
  });

  it('lists this process with its parent and session', () => {
    const self = runningProcesses().find((entry) => entry.pid === process.pid);
    expect(self).toMatchObject({ parentPid: process.ppid, commandLine: expect.stringContaining('node') });
  });
});
