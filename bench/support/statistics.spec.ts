import { percentile, summarize } from './statistics';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
  });

  it('summarizes an empty sample as NaN, not zero', () => {
    expect(summarize([]).p99).toBeNaN();
  });
});
