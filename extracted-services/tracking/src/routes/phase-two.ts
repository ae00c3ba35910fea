/**
 * Where phase 2 of each hit goes (docs/mautic/public-http.md §2.8). Mautic mode queues it
 * from inside the request's transaction, after phase 1's INSERT and before the COMMIT
 * (README § Phase 2 and the worker): a process killed between the two leaves either no row
 * (the COMMIT never came; the worker drops the message as an orphan) or a row whose message
 * exists, never a committed row without one. When the queue refuses (Redis down or slow),
 * the same transaction completes the hit itself (Mautic also falls back to inline
 * processing), so it commits whole or not at all (Mautic's error answer). Fast mode's
 * `lost`: a view that could be kept nowhere, counted and logged with the whole message.
 */
import { Counter, Registry } from 'prom-client';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { TrackingConfig } from '../config.ts';
import { completeHit } from '../domain/page-hit.ts';
import type { HitCompletion } from '../domain/page-hit.ts';
import type { HitQueue } from '../queue/hit-queue.ts';

/** How phase 2 of a hit ended in the service. */
export type PhaseTwoOutcome = 'queued' | 'inline' | 'lost';

/** The service's metrics. */
export interface TrackingMetrics {
  registry: Registry;
  /** `tracking_hit_phase2_total{outcome}`. */
  phaseTwo: Counter<'outcome'>;
  /** `tracking_contact_cache_total{outcome}`: hit, miss, stale (README § Contact cache). */
  contactCache: Counter<'outcome'>;
  /** `tracking_lock_conflict_retries_total`: request transactions run again after a deadlock or lock wait timeout. */
  lockRetries: Counter;
}

/** A fresh registry with the service's counters. */
export function createTrackingMetrics(): TrackingMetrics {
  const registry = new Registry();
  const phaseTwo = new Counter({
    name: 'tracking_hit_phase2_total', help: 'Phase 2 of page hits by outcome: queued, inline (no queue or queue down), lost (logged)',
    labelNames: ['outcome'], registers: [registry],
  });
  const contactCache = new Counter({
    name: 'tracking_contact_cache_total', help: 'Contact cache lookups of returning devices by outcome: hit (no read), miss, stale (the database contradicted the entry)',
    labelNames: ['outcome'], registers: [registry],
  });
  const lockRetries = new Counter({
    name: 'tracking_lock_conflict_retries_total', help: 'Request transactions run again after MariaDB undid them for a deadlock or a lock wait timeout',
    registers: [registry],
  });
  return { registry, phaseTwo, contactCache, lockRetries };
}

/** What dispatching needs. */
export interface PhaseTwoDeps {
  db: Db;
  config: TrackingConfig;
  queue: HitQueue;
  metrics: TrackingMetrics;
  /** Called for a hit that could be kept nowhere, with its message. */
  logLost: (err: unknown, message: string) => void;
}

/**
 * Sends each deferred completion to the queue, or completes it in `tx` when the queue
 * refuses. Run it inside the request's transaction, as its last work before the COMMIT;
 * count the outcomes once the transaction committed (a rolled-back attempt counts nothing).
 */
export async function sendPhaseTwo(deps: Pick<PhaseTwoDeps, 'config' | 'queue'>, tx: Db, hits: readonly HitCompletion[]): Promise<PhaseTwoOutcome[]> {
  const outcomes: PhaseTwoOutcome[] = [];
  for (const hit of hits) {
    if (await deps.queue.enqueue(hit)) {
      outcomes.push('queued');
      continue;
    }
    // A refused XADD may still have been written (a timeout after Redis took it): the worker
    // then finds the row complete and leaves it alone.
    await completeHit({ db: tx, config: deps.config }, hit);
    outcomes.push('inline');
  }
  return outcomes;
}
