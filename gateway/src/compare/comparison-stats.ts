/**
 * Per-route comparison counters (docs/architecture.md §6): compared, matched,
 * mismatched, skipped by reason, and each side's latency percentiles. One set
 * per process; the admin API and the metrics read `snapshot()`.
 */
import { createLatencyHistogram, type LatencyHistogram, type LatencySummary } from './latency-histogram.ts';
import { SKIP_REASONS, type Comparison, type SkipReason } from './types.ts';

/** One route's figures. `compared` is `matched + mismatched`; skips are not compared. */
export interface RouteComparisonStats {
  readonly compared: number;
  readonly matched: number;
  readonly mismatched: number;
  readonly skipped: Readonly<Record<SkipReason, number>>;
  /** Latency of each side over every recorded request that side answered. */
  readonly latencyMs: { readonly legacy: LatencySummary; readonly new: LatencySummary };
}

/** The latencies of one shadowed request, ms; a side that did not answer is left out. */
export interface ShadowLatencies {
  readonly legacyMs?: number;
  readonly newMs?: number;
}

/** The counters of every route. */
export interface ComparisonStats {
  /**
   * Counts one shadowed request by what its comparison gave.
   *
   * @example
   * stats.record('tracking.pixel', compareResponses(…), { legacyMs: 12, newMs: 9 });
   * stats.record('tracking.pixel', { outcome: 'skipped', reason: 'cap-full' });
   */
  record(routeId: string, comparison: Comparison, latencies?: ShadowLatencies): void;
  /** Every route's figures, by route id. */
  snapshot(): Record<string, RouteComparisonStats>;
}

interface RouteCounters {
  matched: number;
  mismatched: number;
  readonly skipped: Record<SkipReason, number>;
  readonly legacy: LatencyHistogram;
  readonly new: LatencyHistogram;
}

function zeroSkips(): Record<SkipReason, number> {
  return Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
}

/** Creates empty counters. Route ids come from the catalogue, so the map stays small. */
export function createComparisonStats(): ComparisonStats {
  const routes = new Map<string, RouteCounters>();
  const countersOf = (routeId: string): RouteCounters => {
    let c = routes.get(routeId);
    if (c === undefined) {
      c = { matched: 0, mismatched: 0, skipped: zeroSkips(), legacy: createLatencyHistogram(), new: createLatencyHistogram() };
      routes.set(routeId, c);
    }
    return c;
  };
  return {
    record(routeId, comparison, latencies) {
      const c = countersOf(routeId);
      if (comparison.outcome === 'match') c.matched += 1;
      else if (comparison.outcome === 'mismatch') c.mismatched += 1;
      else c.skipped[comparison.reason] += 1;
      if (latencies?.legacyMs !== undefined) c.legacy.record(latencies.legacyMs);
      if (latencies?.newMs !== undefined) c.new.record(latencies.newMs);
    },
    snapshot() {
      const out: Record<string, RouteComparisonStats> = {};
      for (const [routeId, c] of routes) {
        out[routeId] = {
          compared: c.matched + c.mismatched,
          matched: c.matched,
          mismatched: c.mismatched,
          skipped: { ...c.skipped },
          latencyMs: { legacy: c.legacy.summary(), new: c.new.summary() },
        };
      }
      return out;
    },
  };
}
