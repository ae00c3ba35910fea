/**
 * A fixed latency histogram: constant memory, O(1) to record, percentiles read
 * by walking ~80 buckets (no sort, no samples kept). Bucket bounds grow by
 * 2^(1/4), so a percentile is within 19 % of the true value (the bucket's upper
 * bound, never above the largest value seen).
 */

/** Upper bound of the first bucket, ms. */
const FIRST_BOUND_MS = 0.1;
/** Each bound is this times the previous one. */
const GROWTH = 2 ** 0.25;
/** Bounds up to 2 minutes; slower answers share the last (overflow) bucket. */
const LAST_BOUND_MS = 120_000;

/** Upper bounds of the buckets, ms, ascending; the overflow bucket comes after the last. */
export const BUCKET_BOUNDS_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let b = FIRST_BOUND_MS; b < LAST_BOUND_MS * GROWTH; b *= GROWTH) bounds.push(b);
  return bounds;
})();

/** What a histogram says: how many, and the 50th, 90th and 99th percentiles and the maximum, ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

/** One histogram. */
export interface LatencyHistogram {
  /** Records one latency in ms; negative and non-finite values are ignored. */
  record(ms: number): void;
  summary(): LatencySummary;
}

function bucketOf(ms: number): number {
  if (ms <= FIRST_BOUND_MS) return 0;
  return Math.min(BUCKET_BOUNDS_MS.length, Math.ceil(Math.log(ms / FIRST_BOUND_MS) / Math.log(GROWTH) - 1e-9));
}

/**
 * Creates an empty histogram.
 *
 * @example
 * const h = createLatencyHistogram();
 * h.record(12.5);
 * h.summary(); // { count: 1, p50Ms: 12.5, p90Ms: 12.5, p99Ms: 12.5, maxMs: 12.5 }
 */
export function createLatencyHistogram(): LatencyHistogram {
  const counts = new Float64Array(BUCKET_BOUNDS_MS.length + 1);
  let count = 0;
  let max = 0;
  const percentile = (q: number): number | null => {
    if (count === 0) return null;
    const rank = Math.ceil(q * count);
    let seen = 0;
    for (let i = 0; i < counts.length; i += 1) {
      seen += counts[i]!;
      if (seen >= rank) return Math.min(BUCKET_BOUNDS_MS[i] ?? max, max);
    }
    return max;
  };
  return {
    record(ms) {
      if (!Number.isFinite(ms) || ms < 0) return;
      counts[bucketOf(ms)]! += 1;
      count += 1;
      if (ms > max) max = ms;
    },
    summary: () => ({ count, p50Ms: percentile(0.5), p90Ms: percentile(0.9), p99Ms: percentile(0.99), maxMs: count === 0 ? null : max }),
  };
}
