/**
 * Per-route comparison stats (issue 13 "Per-route stats"): outcomes and skips by
 * reason, and each side's latency percentiles from a fixed histogram.
 */
import { createComparisonStats } from './comparison-stats.ts';
import { BUCKET_BOUNDS_MS, createLatencyHistogram } from './latency-histogram.ts';

describe('latency histogram', () => {
  it('says nothing before the first value', () => {
    expect(createLatencyHistogram().summary()).toEqual({ count: 0, p50Ms: null, p90Ms: null, p99Ms: null, maxMs: null });
  });

  it('reads percentiles within 19 % of the true value, and the exact maximum', () => {
    const h = createLatencyHistogram();
    for (let ms = 1; ms <= 1000; ms += 1) h.record(ms);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.maxMs).toBe(1000);
    for (const [got, exact] of [[s.p50Ms!, 500], [s.p90Ms!, 900], [s.p99Ms!, 990]] as const) {
      expect(got).toBeGreaterThanOrEqual(exact);
      expect(got).toBeLessThanOrEqual(exact * 1.19);
    }
  });

  it('never reports above the largest value, puts very slow answers in the overflow bucket, ignores nonsense', () => {
    const h = createLatencyHistogram();
    h.record(3);
    h.record(-1);
    h.record(Number.NaN);
    expect(h.summary()).toEqual({ count: 1, p50Ms: 3, p90Ms: 3, p99Ms: 3, maxMs: 3 });
    for (let i = 0; i < 99; i += 1) h.record(600_000);
    expect(h.summary().p50Ms).toBe(600_000);
    expect(BUCKET_BOUNDS_MS.length).toBeLessThan(100);
  });
});

describe('comparison stats', () => {
  it('counts matches, mismatches and every skip reason per route', () => {
    const stats = createComparisonStats();
    stats.record('tracking.pixel', { outcome: 'match' }, { legacyMs: 10, newMs: 20 });
    stats.record('tracking.pixel', { outcome: 'match' }, { legacyMs: 10, newMs: 20 });
    stats.record('tracking.pixel', { outcome: 'mismatch', differences: [{ path: 'status', legacy: '200', new: '500' }], omitted: 0 }, { legacyMs: 10, newMs: 40 });
    stats.record('tracking.pixel', { outcome: 'skipped', reason: 'cap-full' }, { legacyMs: 10 });
    stats.record('tracking.pixel', { outcome: 'skipped', reason: 'deadline-passed' }, { legacyMs: 10 });
    stats.record('forms.submit', { outcome: 'skipped', reason: 'dry-run-gave-up' });
    const snapshot = stats.snapshot();
    expect(snapshot['tracking.pixel']).toEqual({
      compared: 3,
      matched: 2,
      mismatched: 1,
      skipped: { 'body-too-large': 0, 'cap-full': 1, 'deadline-passed': 1, 'dry-run-unconfirmed': 0, 'dry-run-unsupported': 0, 'dry-run-gave-up': 0, 'shadow-failed': 0, 'legacy-incomplete': 0 },
      latencyMs: {
        legacy: { count: 5, p50Ms: 10, p90Ms: 10, p99Ms: 10, maxMs: 10 },
        new: { count: 3, p50Ms: expect.any(Number), p90Ms: 40, p99Ms: 40, maxMs: 40 },
      },
    });
    // 20 ms lies inside a bucket: the percentile is that bucket's upper bound.
    expect(snapshot['tracking.pixel']!.latencyMs.new.p50Ms).toBeGreaterThanOrEqual(20);
    expect(snapshot['tracking.pixel']!.latencyMs.new.p50Ms).toBeLessThanOrEqual(20 * 1.19);
    expect(snapshot['forms.submit']?.skipped['dry-run-gave-up']).toBe(1);
    expect(snapshot['forms.submit']?.compared).toBe(0);
  });

  it('hands out copies: a snapshot does not change afterwards', () => {
    const stats = createComparisonStats();
    stats.record('tracking.pixel', { outcome: 'skipped', reason: 'cap-full' });
    const before = stats.snapshot();
    stats.record('tracking.pixel', { outcome: 'skipped', reason: 'cap-full' });
    expect(before['tracking.pixel']?.skipped['cap-full']).toBe(1);
  });
});
