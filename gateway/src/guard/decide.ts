/**
 * The guard's judgement, pure: the figures of one window against the
 * thresholds of its route, and where a route steps back to. Table-tested in
 * decide.test.ts.
 */
import type { GuardThresholds } from '../config/schema.ts';
import type { Mode } from '../model.ts';
import type { WindowTotals } from './window.ts';

/** Which threshold was crossed. */
export type Trigger = 'error-rate' | 'latency-ratio' | 'mismatch-rate';

/** The legacy mean latency a ratio is taken against, and when it was measured. */
export interface Baseline {
  readonly latencyMs: number;
  readonly samples: number;
  /** ISO time of the evaluation that measured it. */
  readonly at: string;
}

/** The figures of one (route, tenant) window; a rate is null when it has no samples. */
export interface Figures extends WindowTotals {
  readonly errorRatePercent: number | null;
  readonly newLatencyMs: number | null;
  readonly legacyLatencyMs: number | null;
  /** The window's legacy mean when it has `minSample` answers, else the last such mean remembered. */
  readonly baseline: Baseline | null;
  readonly latencyRatio: number | null;
  readonly mismatchRatePercent: number | null;
}

/**
 * What the guard makes of a window: nothing to judge (legacy), too few
 * samples, within the thresholds, or crossed (with which one).
 */
export type Verdict =
  | { readonly state: 'idle' | 'below-min-sample' | 'ok' }
  | { readonly state: 'crossed'; readonly trigger: Trigger };

/** A mode and, for canary, its percent. */
export interface Stage {
  readonly mode: Mode;
  readonly percent?: number;
}

/** Figures of `totals`, with the latency ratio against `baseline` (means below `latencyFloorMs` count as it). */
export function figuresOf(totals: WindowTotals, baseline: Baseline | null, latencyFloorMs: number): Figures {
  const newLatencyMs = totals.newTimed === 0 ? null : totals.newLatencySumMs / totals.newTimed;
  const floor = (ms: number): number => Math.max(ms, latencyFloorMs, Number.EPSILON);
  return {
    ...totals,
    errorRatePercent: percent(totals.newErrors, totals.newRequests),
    newLatencyMs,
    legacyLatencyMs: totals.legacyTimed === 0 ? null : totals.legacyLatencySumMs / totals.legacyTimed,
    baseline,
    latencyRatio: newLatencyMs === null || baseline === null ? null : floor(newLatencyMs) / floor(baseline.latencyMs),
    mismatchRatePercent: percent(totals.mismatches, totals.comparisons),
  };
}

/**
 * Judges one window in the mode the route is in. Canary and extracted: the error rate over
 * `minSample` new-path requests, then the latency ratio over `minSample` timed answers with a
 * baseline. Shadow: the mismatch rate over `minSample` comparisons. Legacy: nothing.
 *
 * @example decide('canary', figures, thresholds) // { state: 'crossed', trigger: 'error-rate' }
 */
export function decide(mode: Mode, f: Figures, t: GuardThresholds): Verdict {
  if (mode === 'legacy') return { state: 'idle' };
  if (mode === 'shadow') {
    if (f.comparisons < t.minSample) return { state: 'below-min-sample' };
    return (f.mismatchRatePercent ?? 0) > t.maxMismatchRatePercent ? { state: 'crossed', trigger: 'mismatch-rate' } : { state: 'ok' };
  }
  if (f.newRequests < t.minSample) return { state: 'below-min-sample' };
  if ((f.errorRatePercent ?? 0) > t.maxErrorRatePercent) return { state: 'crossed', trigger: 'error-rate' };
  if (f.newTimed >= t.minSample && f.latencyRatio !== null && f.latencyRatio > t.maxLatencyRatio) return { state: 'crossed', trigger: 'latency-ratio' };
  return { state: 'ok' };
}

/**
 * One stage back: extracted → canary at `canaryPercent`, canary → shadow, shadow → legacy.
 *
 * @example stageBefore({ mode: 'extracted' }, 10) // { mode: 'canary', percent: 10 }
 */
export function stageBefore(stage: Stage, canaryPercent: number): Stage {
  if (stage.mode === 'extracted') return { mode: 'canary', percent: canaryPercent };
  if (stage.mode === 'canary') return { mode: 'shadow' };
  return { mode: 'legacy' };
}

/**
 * The audit entry's `why`: the figure, its sample, the threshold, the window and the step.
 *
 * @example
 * // "guard: error rate 100 % (40 of 40 new-path requests in the last 60 s) is above 5 %; canary 100% → shadow"
 */
export function evidenceOf(trigger: Trigger, f: Figures, t: GuardThresholds, windowMs: number, from: Stage, to: Stage): string {
  const last = `in the last ${round(windowMs / 1000)} s`;
  const step = `${showStage(from)} → ${showStage(to)}`;
  if (trigger === 'error-rate') return `guard: error rate ${round(f.errorRatePercent ?? 0)} % (${f.newErrors} of ${f.newRequests} new-path requests ${last}) is above ${t.maxErrorRatePercent} %; ${step}`;
  if (trigger === 'mismatch-rate') return `guard: mismatch rate ${round(f.mismatchRatePercent ?? 0)} % (${f.mismatches} of ${f.comparisons} comparisons ${last}) is above ${t.maxMismatchRatePercent} %; ${step}`;
  const base = f.baseline as Baseline;
  return `guard: latency ratio ${round(f.latencyRatio ?? 0)} (new path ${round(f.newLatencyMs ?? 0)} ms mean over ${f.newTimed} answers ${last}, legacy ${round(base.latencyMs)} ms over ${base.samples} answers at ${base.at}; means below ${t.latencyFloorMs} ms count as ${t.latencyFloorMs}) is above ${t.maxLatencyRatio}; ${step}`;
}

/** `canary 10%`, `shadow`. */
export function showStage(s: Stage): string {
  return s.percent === undefined ? s.mode : `${s.mode} ${s.percent}%`;
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : (part / whole) * 100;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
