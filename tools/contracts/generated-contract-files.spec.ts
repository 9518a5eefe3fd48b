import { CURRENT, generatorCheck } from '../generated-files';

describe('generated contract files', () => {
  it('match what tools/contracts/generate.ts writes (run `npm run contracts:generate` after changing a contract)', () => {
    expect(generatorCheck('tools/contracts/generate.ts')).toEqual(CURRENT);
  });
});
