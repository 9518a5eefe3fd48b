import { spawnSync } from 'node:child_process';
import { repositoryRoot } from '../system/repository-root';

describe("docs/saga.md's saga table", () => {
  it('is what tools/saga/generate.ts renders from the table (run `npm run docs:saga` after changing it)', () => {
    const check = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'tools/saga/generate.ts', '--check'], {
      cwd: repositoryRoot(),
      encoding: 'utf8',
    });
    expect({ status: check.status, stale: check.stdout.trim(), errors: check.stderr.trim() }).toEqual({
      status: 0,
      stale: '',
      errors: '',
    });
  });
});
