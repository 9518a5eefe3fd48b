import { bucketsSince, histogramBuckets, histogramQuantile } from './prometheus-histogram';

const exposition = (fast: number, slow: number) =>
  [
    '# HELP lag_seconds lag',
    '# TYPE lag_seconds histogram',
    `lag_seconds_bucket{le="0.5",topic="a",service="s"} ${fast}`,
    `lag_seconds_bucket{le="1",topic="a",service="s"} ${fast + slow}`,
    `lag_seconds_bucket{le="+Inf",topic="a",service="s"} ${fast + slow}`,
    `lag_seconds_bucket{le="0.5",topic="b",service="s"} ${fast}`,
    `lag_seconds_bucket{le="1",topic="b",service="s"} ${fast}`,
    `lag_seconds_bucket{le="+Inf",topic="b",service="s"} ${fast}`,
    `lag_seconds_sum{topic="a",service="s"} 12`,
    `lag_seconds_count{topic="a",service="s"} ${fast + slow}`,
    `other_seconds_bucket{le="+Inf"} 99`,
  ].join('\n');

describe('prometheus histograms', () => {
  it('sums the buckets of every label set of one histogram', () => {
    const buckets = histogramBuckets(exposition(10, 4), 'lag_seconds');
    expect([...buckets]).toEqual([
      [0.5, 20],
      [1, 24],
      [Number.POSITIVE_INFINITY, 24],
    ]);
  });

  it('estimates a quantile linearly within its bucket, as histogram_quantile does', () => {
    const buckets = histogramBuckets(exposition(10, 4), 'lag_seconds');
    expect(histogramQuantile(buckets, 0.5)).toBeCloseTo(0.3); // rank 12 of 20 in (0, 0.5]
    expect(histogramQuantile(buckets, 0.99)).toBeCloseTo(0.5 + (0.5 * (23.76 - 20)) / 4);
  });

  it('reads only what was observed between two scrapes', () => {
    const since = bucketsSince(
      histogramBuckets(exposition(10, 0), 'lag_seconds'),
      histogramBuckets(exposition(10, 4), 'lag_seconds'),
    );
    expect(histogramQuantile(since, 0.5)).toBeCloseTo(0.5 + 0.5 * 0.5);
  });

  it('gives NaN with no observations and the top finite bound for the +Inf bucket', () => {
    expect(histogramQuantile(new Map(), 0.5)).toBeNaN();
    expect(
      histogramQuantile(
        new Map([
          [1, 0],
          [Number.POSITIVE_INFINITY, 3],
        ]),
        0.5,
      ),
    ).toBe(1);
  });
});
