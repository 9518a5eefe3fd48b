import { parseCompareArgs } from './compare-args';

describe('parseCompareArgs', () => {
  it('takes the ref and defaults to two full-length rounds', () => {
    expect(parseCompareArgs(['f225c4a'])).toEqual({ ref: 'f225c4a', rounds: 2, quick: false });
  });

  it('reads --rounds in both spellings and --quick in any position', () => {
    expect(parseCompareArgs(['--quick', 'main~3', '--rounds', '3'])).toEqual({ ref: 'main~3', rounds: 3, quick: true });
    expect(parseCompareArgs(['v1', '--rounds=1'])).toEqual({ ref: 'v1', rounds: 1, quick: false });
  });

  it.each([['0'], ['1.5'], ['two']])('refuses --rounds %s', (rounds) => {
    expect(() => parseCompareArgs(['f225c4a', '--rounds', rounds])).toThrow(/--rounds takes a whole number/);
  });

  it('refuses a missing --rounds value, an unknown option, no ref and two refs', () => {
    expect(() => parseCompareArgs(['f225c4a', '--rounds'])).toThrow(/not nothing/);
    expect(() => parseCompareArgs(['f225c4a', '--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseCompareArgs(['--quick'])).toThrow(/a git ref is required/);
    expect(() => parseCompareArgs(['a', 'b'])).toThrow(/one git ref, not a b/);
  });
});
