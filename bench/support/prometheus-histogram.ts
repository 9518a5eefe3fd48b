/** Cumulative bucket counts of one histogram, summed over its label sets, by upper bound (`le`). */
export type HistogramBuckets = Map<number, number>;

/** Reads `<name>_bucket` samples from Prometheus text exposition, summing every label set. */
export function histogramBuckets(exposition: string, name: string): HistogramBuckets {
  const buckets: HistogramBuckets = new Map();
  const sample = new RegExp(`^${name}_bucket\\{(.*)\\} (\\S+)$`);
  for (const line of exposition.split('\n')) {
    const match = sample.exec(line);
    if (!match) continue;
    const le = /(?:^|,)le="([^"]+)"/.exec(match[1])?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/** What was observed between two readings of the same histogram. */
export function bucketsSince(before: HistogramBuckets, after: HistogramBuckets): HistogramBuckets {
  return new Map([...after].map(([bound, count]) => [bound, count - (before.get(bound) ?? 0)]));
}

/**
 * The q-quantile as PromQL's `histogram_quantile` estimates it: linear within the bucket that holds
 * it; the highest finite bound when it falls in `+Inf`; NaN with no observations.
 */
export function histogramQuantile(buckets: HistogramBuckets, q: number): number {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Number.POSITIVE_INFINITY) ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound)!;
    if (count >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return lowerBound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / Math.max(count - lowerCount, 1e-9);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}
