/**
 * Where phase 2 of each hit goes once the request's transaction committed
 * (docs/mautic/public-http.md §2.8): the queue, else inline in a transaction of its own
 * (Redis down: Mautic also falls back to inline processing), else it is lost — counted
 * and logged with the whole message, never silently.
 */
import { Counter, Registry } from 'prom-client';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { TrackingConfig } from '../config.ts';
import { completeHit } from '../domain/page-hit.ts';
import type { HitCompletion } from '../domain/page-hit.ts';
import { encodeHitMessage } from '../queue/hit-message.ts';
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
  return { registry, phaseTwo, contactCache };
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

/** Sends each deferred completion to the queue, or runs it inline when the queue refuses. */
export async function dispatchPhaseTwo(deps: PhaseTwoDeps, hits: readonly HitCompletion[]): Promise<void> {
  for (const hit of hits) {
    if (await deps.queue.enqueue(hit)) {
      deps.metrics.phaseTwo.inc({ outcome: 'queued' });
      continue;
    }
    try {
      await deps.db.transaction((tx) => completeHit({ db: tx, config: deps.config }, hit));
      deps.metrics.phaseTwo.inc({ outcome: 'inline' });
    } catch (err) {
      deps.metrics.phaseTwo.inc({ outcome: 'lost' });
      deps.logLost(err, encodeHitMessage(hit));
    }
  }
}
