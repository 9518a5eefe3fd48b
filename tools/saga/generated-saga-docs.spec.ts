import { CURRENT, generatorCheck } from '../generated-files';

describe("docs/saga.md's saga table", () => {
  it('is what tools/saga/generate.ts renders from the table (run `npm run docs:saga` after changing it)', () => {
    expect(generatorCheck('tools/saga/generate.ts')).toEqual(CURRENT);
  });
});
