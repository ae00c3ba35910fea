/**
 * The shadow comparisons on the admin port (docs/architecture.md §6): the diff records, paged
 * and filtered by route and tenant, one record with both responses (redacted before they were
 * stored), and the per-route counters. Read only: a viewer token may call them.
 */
import { Router } from 'express';
import type { ComparisonRecorder } from '../compare/comparison-recorder.ts';
import type { StoredDiffRecord } from '../compare/diff-record.ts';
import { GatewayError } from '../errors.ts';
import type { Catalogue } from '../routing/types.ts';
import { diffsQuery, MAX_DIFF_LIMIT } from './api-schemas.ts';
import { parseInput } from './request-parsing.ts';

/** What the comparison endpoints read. */
/** A shadow target as main.ts reports it (pipeline/shadow-sender.ts `targets()`; admin/ does not import pipeline/). */
export interface ShadowTargetFacts {
  readonly upstream: string;
  readonly url: string;
  readonly inFlight: number;
  /** Copies it may have in flight now: its share of the cap. */
  readonly share: number;
}

export interface ComparisonRoutesDeps {
  readonly comparisons: ComparisonRecorder;
  readonly catalogue: Catalogue;
  /** Every configured tenant id. */
  readonly tenants: ReadonlySet<string>;
  /** Which store holds the diffs, the shadow copies in flight now, and each target's share of the cap. */
  readonly comparisonFacts: () => { readonly storeKind: 'memory' | 'redis'; readonly shadowInFlight: number; readonly shadowTargets: readonly ShadowTargetFacts[] };
}

function summary(record: StoredDiffRecord): Omit<StoredDiffRecord, 'responses'> {
  const { responses: _responses, ...rest } = record;
  return rest;
}

/**
 * Builds the router mounted at `/admin`.
 *
 * @example app.use('/admin', createComparisonRoutes({ comparisons, catalogue, tenants, comparisonFacts }));
 */
export function createComparisonRoutes(deps: ComparisonRoutesDeps): Router {
  const router = Router();
  const knownRoute = (id: string): string => {
    if (!deps.catalogue.byId(id)) throw new GatewayError('GW_ERR_ADMIN_UNKNOWN_ROUTE', { params: { routeId: id } });
    return id;
  };

  router.get('/diffs', async (req, res) => {
    const q = parseInput(diffsQuery, req.query);
    const limit = Number(q.limit);
    if (!(limit >= 1 && limit <= MAX_DIFF_LIMIT)) throw new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail: `limit must be an integer from 1 to ${MAX_DIFF_LIMIT}` } });
    if (q.tenant !== undefined && !deps.tenants.has(q.tenant)) throw new GatewayError('GW_ERR_ADMIN_UNKNOWN_TENANT', { params: { tenant: q.tenant, tenants: [...deps.tenants].join(', ') } });
    const offset = Number(q.offset);
    // One more than asked tells whether a next page exists.
    const found = await deps.comparisons.store.list({
      limit: limit + 1, offset,
      ...(q.route === undefined ? {} : { routeId: knownRoute(q.route) }),
      ...(q.tenant === undefined ? {} : { tenant: q.tenant }),
    });
    res.json({ diffs: found.slice(0, limit).map(summary), next: found.length > limit ? String(offset + limit) : null });
  });

  router.get('/diffs/:routeId/:id', async (req, res) => {
    const routeId = knownRoute(req.params.routeId as string);
    const id = req.params.id as string;
    const record = await deps.comparisons.store.get(routeId, id);
    if (record === undefined) throw new GatewayError('GW_ERR_ADMIN_DIFF_NOT_FOUND', { params: { routeId, id } });
    res.json({ diff: record });
  });

  router.get('/comparisons', (_req, res) => {
    const facts = deps.comparisonFacts();
    res.json({ routes: deps.comparisons.stats.snapshot(), store: { kind: facts.storeKind, dropped: deps.comparisons.store.dropped() }, shadowInFlight: facts.shadowInFlight, shadowTargets: facts.shadowTargets });
  });

  return router;
}
