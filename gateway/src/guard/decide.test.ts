import type { GuardThresholds } from '../config/schema.ts';
import type { Mode } from '../model.ts';
import { decide, evidenceOf, figuresOf, stageBefore, type Baseline, type Stage } from './decide.ts';
import { sampleOf, type FinishedRequest } from './samples.ts';
import type { WindowTotals } from './window.ts';

const T: GuardThresholds = { enabled: true, maxErrorRatePercent: 5, maxLatencyRatio: 2, maxMismatchRatePercent: 5, minSample: 10, latencyFloorMs: 10 };
const EMPTY: WindowTotals = { newRequests: 0, newErrors: 0, newTimed: 0, newLatencySumMs: 0, legacyTimed: 0, legacyLatencySumMs: 0, comparisons: 0, mismatches: 0 };
const BASE: Baseline = { latencyMs: 20, samples: 10, at: '2026-12-03T10:00:00.000Z' };

/** `n` new-path requests, `errors` of them failed, the others at `ms` each. */
const newPath = (n: number, errors: number, ms = 20): WindowTotals => ({ ...EMPTY, newRequests: n, newErrors: errors, newTimed: n - errors, newLatencySumMs: (n - errors) * ms });

// docs/architecture.md §4 (the guard) as a table: mode, window, baseline → verdict.
describe('decide', () => {
  it.each<[string, Mode, WindowTotals, Baseline | null, string]>([
    ['legacy: nothing to judge', 'legacy', newPath(100, 100), BASE, 'idle'],
    ['canary below the minimum sample', 'canary', newPath(9, 9), BASE, 'below-min-sample'],
    ['canary at the minimum sample, all failed', 'canary', newPath(10, 10), BASE, 'crossed error-rate'],
    ['extracted, 5 % errors is not above 5 %', 'extracted', newPath(100, 5), BASE, 'ok'],
    ['extracted, 6 % errors', 'extracted', newPath(100, 6), BASE, 'crossed error-rate'],
    ['canary 3 times slower than legacy', 'canary', newPath(10, 0, 60), BASE, 'crossed latency-ratio'],
    ['canary twice as slow is not above 2', 'canary', newPath(10, 0, 40), BASE, 'ok'],
    ['slow, but no legacy baseline', 'canary', newPath(10, 0, 60), null, 'ok'],
    ['slow, but too few timed answers', 'extracted', { ...newPath(10, 0, 60), newTimed: 9 }, BASE, 'ok'],
    ['below the latency floor both ways', 'canary', newPath(10, 0, 9), { ...BASE, latencyMs: 1 }, 'ok'],
    ['shadow below the minimum sample', 'shadow', { ...EMPTY, comparisons: 9, mismatches: 9 }, null, 'below-min-sample'],
    ['shadow with 10 % mismatches', 'shadow', { ...EMPTY, comparisons: 20, mismatches: 2 }, null, 'crossed mismatch-rate'],
    ['shadow judges comparisons, not new-path errors', 'shadow', { ...newPath(100, 100), comparisons: 20 }, null, 'ok'],
  ])('%s → %s', (_name, mode, totals, baseline, want) => {
    const v = decide(mode, figuresOf(totals, baseline, T.latencyFloorMs), T);
    expect(v.state === 'crossed' ? `crossed ${v.trigger}` : v.state).toBe(want);
  });
});

describe('stageBefore: one stage back', () => {
  it.each<[Stage, Stage]>([
    [{ mode: 'extracted' }, { mode: 'canary', percent: 10 }],
    [{ mode: 'canary', percent: 50 }, { mode: 'shadow' }],
    [{ mode: 'shadow' }, { mode: 'legacy' }],
  ])('%p → %p', (from, to) => expect(stageBefore(from, 10)).toEqual(to));
});

describe('evidenceOf', () => {
  it('states the figure, its sample, the threshold, the window and the step', () => {
    const f = figuresOf(newPath(40, 40), null, 10);
    expect(evidenceOf('error-rate', f, T, 60_000, { mode: 'canary', percent: 100 }, { mode: 'shadow' }))
      .toBe('guard: error rate 100 % (40 of 40 new-path requests in the last 60 s) is above 5 %; canary 100% → shadow');
  });

  it('gives both latencies and where the baseline comes from', () => {
    const f = figuresOf(newPath(10, 0, 300), BASE, 10);
    expect(evidenceOf('latency-ratio', f, T, 10_000, { mode: 'extracted' }, { mode: 'canary', percent: 10 }))
      .toBe('guard: latency ratio 15 (new path 300 ms mean over 10 answers in the last 10 s, legacy 20 ms over 10 answers at 2026-12-03T10:00:00.000Z; means below 10 ms count as 10) is above 2; extracted → canary 10%');
  });
});

// What one finished request tells the guard.
describe('sampleOf', () => {
  const base: FinishedRequest = { route: 'tracking.pixel', tenant: 'default', decision: { mode: 'canary', reason: 'bucket', primary: 'tracking', bucket: 1 }, upstream: 'tracking', status: 200, durationMs: 12, outcome: 'complete' };
  const legacyDecision = { mode: 'canary', reason: 'bucket-out', primary: 'legacy', bucket: 9000 } as const;
  it.each<[string, Partial<FinishedRequest>, ReturnType<typeof sampleOf>]>([
    ['a new-path answer', {}, { kind: 'new', failed: false, latencyMs: 12 }],
    ['a tenant\'s own new upstream', { upstream: 'tracking:acme' }, { kind: 'new', failed: false, latencyMs: 12 }],
    ['a new-path 500', { status: 500 }, { kind: 'new', failed: true }],
    ['a 404 is the new path answering', { status: 404 }, { kind: 'new', failed: false, latencyMs: 12 }],
    ['a body cut mid-way', { outcome: 'upstream-failed' }, { kind: 'new', failed: true }],
    ['a client that left', { outcome: 'client-aborted', status: 499 }, null],
    ['a replay on legacy', { decision: { ...base.decision!, reason: 'fallback-replay' }, upstream: 'legacy' }, { kind: 'new', failed: true }],
    ['a connect error sent to legacy', { decision: { ...base.decision!, reason: 'fallback-connect-error' }, upstream: 'legacy' }, { kind: 'new', failed: true }],
    ['an open breaker', { decision: { mode: 'extracted', reason: 'breaker-open', primary: 'legacy' }, upstream: 'legacy' }, { kind: 'new', failed: true }],
    ['a bucket-out legacy answer', { decision: legacyDecision, upstream: 'legacy' }, { kind: 'legacy', latencyMs: 12 }],
    ['a tenant\'s legacy', { decision: legacyDecision, upstream: 'legacy:acme' }, { kind: 'legacy', latencyMs: 12 }],
    ['a legacy 502 is no baseline', { decision: legacyDecision, upstream: 'legacy', status: 502 }, null],
    ['no decision (classify refused it)', { decision: null, upstream: null, status: 400 }, null],
    ['refused before any upstream', { upstream: null, status: 503 }, null],
    ['"trackingx" is not tracking', { upstream: 'trackingx' }, null],
  ])('%s', (_name, change, want) => expect(sampleOf({ ...base, ...change })).toEqual(want));
});
