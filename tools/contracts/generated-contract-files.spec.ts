import { spawnSync } from 'node:child_process';
import { repositoryRoot } from '../system/repository-root';

describe('generated contract files', () => {
  it('match what tools/contracts/generate.ts writes (run `npm run contracts:generate` after changing a contract)', () => {
    const check = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'tools/contracts/generate.ts', '--check'], {
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
