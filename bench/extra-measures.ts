/**
 * Measures beyond the legacy passthrough: each part that has a target of its
 * own (docs/architecture.md §10) adds one entry here, and `npm run bench` runs
 * it after the passthrough rounds, so its row lands in the same RESULTS.md.
 * A measure that throws gives its row as "not measured" with the reason,
 * never a silent gap.
 */
import { deadUpstreamRows, measureDeadUpstream } from './dead-upstream.ts';
import { formsResultRows, measureFormsRows } from './forms-submissions.ts';
import { measureObservabilityCost, observabilityCostRows } from './observability-cost.ts';
import { measurePropagation, propagationRow } from './propagation.ts';
import type { ResultRow } from './report.ts';
import { measureSendingRows, sendingResultRows } from './sending-throughput.ts';
import { measureShadowMode, shadowModeRow } from './shadow-mode.ts';
import { measureTrackingRows, trackingResultRows } from './tracking-persisted.ts';
import { measureTrackingRestart, trackingRestartRow } from './tracking-restart.ts';

/** One extra measure: a name for the log and `BENCH_ONLY`, and how to get its rows. */
export interface ExtraMeasure {
  /** Short name, e.g. `propagation`; `BENCH_SKIP=propagation,…` leaves it out. */
  readonly name: string;
  /** Runs the measurement and turns it into rows. */
  measure(): Promise<ResultRow[]>;
  /** The rows when it could not run: each says why. */
  notMeasured(reason: string): ResultRow[];
}

/** Every extra measure, in the order they run. */
export const EXTRA_MEASURES: readonly ExtraMeasure[] = [
  {
    name: 'propagation',
    measure: async () => [propagationRow(await measurePropagation({ changes: 200 }))],
    notMeasured: (reason) => [{ ...propagationRow(null), result: `not measured: ${reason}` }],
  },
  {
    name: 'dead-upstream',
    measure: async () => deadUpstreamRows(await measureDeadUpstream()),
    notMeasured: (reason) => deadUpstreamRows({ missing: reason }),
  },
  {
    name: 'shadow',
    measure: async () => [shadowModeRow(await measureShadowMode())],
    notMeasured: (reason) => [shadowModeRow({ missing: reason })],
  },
  {
    name: 'observability',
    measure: async () => observabilityCostRows(await measureObservabilityCost()),
    notMeasured: (reason) => observabilityCostRows(null, reason),
  },
  {
    name: 'tracking',
    measure: async () => trackingResultRows(await measureTrackingRows()),
    notMeasured: (reason) => trackingResultRows(null, reason),
  },
  {
    name: 'tracking-restart',
    measure: async () => [trackingRestartRow(await measureTrackingRestart())],
    notMeasured: (reason) => [trackingRestartRow(null, reason)],
  },
  {
    name: 'forms',
    measure: async () => formsResultRows(await measureFormsRows()),
    notMeasured: (reason) => formsResultRows(null, reason),
  },
  {
    name: 'sending',
    measure: async () => sendingResultRows(await measureSendingRows()),
    notMeasured: (reason) => sendingResultRows(null, reason),
  },
];

/**
 * Runs every extra measure not named in `skip`, one after another (they share
 * the machine with nothing else of the bench), and collects their rows.
 */
export async function runExtraMeasures(skip: ReadonlySet<string>, log: (line: string) => void): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const extra of EXTRA_MEASURES) {
    if (skip.has(extra.name)) continue;
    log(`measure: ${extra.name}`);
    try {
      rows.push(...(await extra.measure()));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      log(`${extra.name} failed: ${reason}`);
      rows.push(...extra.notMeasured(reason));
    }
  }
  return rows;
}
