/**
 * Counters of things that must never be silent (docs/architecture.md §4: a body too large
 * to buffer, clients that abort, responses cut mid-body, …). Served as JSON on
 * the admin port (`GET /admin/stats`) until the Prometheus metrics land.
 */

/** Plain counters. */
export type CounterName =
  | 'requests'
  | 'bodyBufferSkipped'
  | 'clientAborted'
  | 'responseCut'
  | 'clientErrors';

/** Counters split by one label. */
export type LabelledCounterName = 'reasons' | 'errors' | 'fallbacks';

/** What `GET /admin/stats` shows. */
export type StatsSnapshot = Record<CounterName, number> & Record<LabelledCounterName, Record<string, number>>;

/** The gateway's counters; one per process. */
export interface Stats {
  increment(name: CounterName): void;
  /** Increments `name[label]`, e.g. `('errors', 'GW_ERR_UPSTREAM_CONNECT')`. */
  incrementLabel(name: LabelledCounterName, label: string): void;
  /** A copy of every counter. */
  snapshot(): StatsSnapshot;
}

/** Creates a zeroed set of counters. */
export function createStats(): Stats {
  const counters: Record<CounterName, number> = { requests: 0, bodyBufferSkipped: 0, clientAborted: 0, responseCut: 0, clientErrors: 0 };
  const labelled: Record<LabelledCounterName, Map<string, number>> = { reasons: new Map(), errors: new Map(), fallbacks: new Map() };
  return {
    increment: (name) => void (counters[name] += 1),
    incrementLabel(name, label) {
      const map = labelled[name];
      map.set(label, (map.get(label) ?? 0) + 1);
    },
    snapshot: () => ({
      ...counters,
      reasons: Object.fromEntries(labelled.reasons),
      errors: Object.fromEntries(labelled.errors),
      fallbacks: Object.fromEntries(labelled.fallbacks),
    }),
  };
}
