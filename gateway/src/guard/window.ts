/**
 * The guard's rolling window of one (route, tenant): counts and latency sums
 * in time buckets, so that adding a sample is a few additions and old samples
 * fall out as their bucket is reused. No timers, no arrays per sample.
 */

/** Buckets a window is split into; the window covers between 9/10 and all of its length. */
export const WINDOW_BUCKETS = 10;

/** What one window holds over its length. */
export interface WindowTotals {
  /** Requests meant for the new path (failed ones included). */
  readonly newRequests: number;
  /** Of those, the ones the new path failed. */
  readonly newErrors: number;
  /** New-path answers that carry a latency (the successful ones). */
  readonly newTimed: number;
  readonly newLatencySumMs: number;
  /** Legacy answers of the route and tenant (the latency baseline). */
  readonly legacyTimed: number;
  readonly legacyLatencySumMs: number;
  /** Shadow comparisons, and those that found a difference. */
  readonly comparisons: number;
  readonly mismatches: number;
}

type Counts = { -readonly [K in keyof WindowTotals]: number };

interface Bucket extends Counts {
  /** Which bucket of time this slot holds (`floor(now / width)`); -1 when empty. */
  index: number;
}

const zero = (): Counts => ({ newRequests: 0, newErrors: 0, newTimed: 0, newLatencySumMs: 0, legacyTimed: 0, legacyLatencySumMs: 0, comparisons: 0, mismatches: 0 });

/**
 * A rolling window of `windowMs`, read and written with the caller's clock.
 *
 * @example
 * const w = new RollingWindow(60_000);
 * w.addNew(Date.now(), false, 12.5);
 * w.totals(Date.now()).newRequests // 1
 */
export class RollingWindow {
  private readonly width: number;
  private readonly buckets: Bucket[];

  constructor(windowMs: number) {
    this.width = windowMs / WINDOW_BUCKETS;
    this.buckets = Array.from({ length: WINDOW_BUCKETS }, () => ({ index: -1, ...zero() }));
  }

  /** A request meant for the new path; `latencyMs` only for a successful answer. */
  addNew(nowMs: number, failed: boolean, latencyMs?: number): void {
    const b = this.bucketAt(nowMs);
    b.newRequests += 1;
    if (failed) b.newErrors += 1;
    if (latencyMs !== undefined) {
      b.newTimed += 1;
      b.newLatencySumMs += latencyMs;
    }
  }

  /** A legacy answer of the route and tenant. */
  addLegacy(nowMs: number, latencyMs: number): void {
    const b = this.bucketAt(nowMs);
    b.legacyTimed += 1;
    b.legacyLatencySumMs += latencyMs;
  }

  /** A shadow comparison. */
  addComparison(nowMs: number, matched: boolean): void {
    const b = this.bucketAt(nowMs);
    b.comparisons += 1;
    if (!matched) b.mismatches += 1;
  }

  /** Forgets the new-path samples and comparisons (the mode changed); legacy samples stay, they are the baseline. */
  forgetNewPath(): void {
    for (const b of this.buckets) {
      b.newRequests = 0;
      b.newErrors = 0;
      b.newTimed = 0;
      b.newLatencySumMs = 0;
      b.comparisons = 0;
      b.mismatches = 0;
    }
  }

  /** The sums over the buckets still inside the window at `nowMs`. */
  totals(nowMs: number): WindowTotals {
    const current = Math.floor(nowMs / this.width);
    const sum = zero();
    for (const b of this.buckets) {
      if (b.index === -1 || b.index <= current - WINDOW_BUCKETS || b.index > current) continue;
      for (const k of Object.keys(sum) as (keyof Counts)[]) sum[k] += b[k];
    }
    return sum;
  }

  private bucketAt(nowMs: number): Bucket {
    const index = Math.floor(nowMs / this.width);
    const b = this.buckets[index % WINDOW_BUCKETS] as Bucket;
    if (b.index !== index) Object.assign(b, zero(), { index });
    return b;
  }
}
