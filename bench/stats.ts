/**
 * Small statistics for the benchmark: percentiles over latency samples.
 */

/** Latency summary, every value in ms. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/**
 * The q-quantile (0–1) of ascending `sorted` by the nearest-rank method; NaN when empty.
 *
 * @example percentile([1, 2, 3, 4], 0.5) // 2
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/**
 * The median of per-round figures (the upper one of an even count), as the interleaved
 * part-against-part rows take it.
 *
 * @example medianRound([3, 1, 2]) // 2
 */
export function medianRound(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Summarises latency samples in ms (the input is not changed). */
export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort();
  const list = Array.from(sorted);
  return {
    count: list.length,
    p50: percentile(list, 0.5),
    p90: percentile(list, 0.9),
    p99: percentile(list, 0.99),
    p999: percentile(list, 0.999),
    max: list.length > 0 ? (list[list.length - 1] as number) : Number.NaN,
  };
}
