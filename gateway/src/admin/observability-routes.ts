/**
 * The observability endpoints of the admin API: the traces the gateway keeps
 * in memory (`GET /admin/traces`, `/admin/traces/{traceId}`) and the
 * migration's progress (`GET /admin/progress`). Reads only: a viewer token is
 * enough. `/metrics` (no token, like /healthz) is mounted by admin-app.ts.
 */
import { Router } from 'express';
import { GatewayError } from '../errors.ts';
import type { ProgressBook } from '../observability/progress.ts';
import type { TraceStore } from '../observability/trace-store.ts';
import { MAX_PROGRESS_DAYS, MAX_TRACES_LIMIT, progressQuery, tracesQuery } from './observability-schemas.ts';
import { parseInput } from './request-parsing.ts';

/** What the routes read. */
export interface ObservabilityRoutesDeps {
  /** The in-memory traces; null when they go to an OTLP endpoint. */
  readonly traces: TraceStore | null;
  /** Where traces go when not kept here (for the 409's message). */
  readonly tracesEndpoint: string | undefined;
  /** How many traces the store keeps (for the 404's message). */
  readonly keepTraces: number;
  readonly progress: ProgressBook;
  readonly progressSource: 'memory' | 'redis';
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/** The router, mounted under `/admin` after the token check. */
export function createObservabilityRoutes(deps: ObservabilityRoutesDeps): Router {
  const router = Router();
  const store = (): TraceStore => {
    if (deps.traces === null) throw new GatewayError('GW_ERR_ADMIN_TRACES_EXPORTED', { params: { endpoint: deps.tracesEndpoint ?? 'an OTLP endpoint' } });
    return deps.traces;
  };
  router.get('/traces', (req, res) => {
    const query = parseInput(tracesQuery, req.query);
    const limit = Number(query.limit);
    if (limit < 1 || limit > MAX_TRACES_LIMIT) throw badRequest(`limit must be 1–${MAX_TRACES_LIMIT}, not ${limit}`);
    res.json({ traces: store().list(limit) });
  });
  router.get('/traces/:traceId', (req, res) => {
    const traceId = req.params.traceId.toLowerCase();
    if (!TRACE_ID.test(traceId)) throw badRequest(`a trace id is 32 hex digits, not ${JSON.stringify(req.params.traceId.slice(0, 64))}`);
    const spans = store().get(traceId);
    if (spans === undefined) throw new GatewayError('GW_ERR_ADMIN_TRACE_NOT_FOUND', { params: { traceId, keep: deps.keepTraces } });
    res.json({ traceId, spans });
  });
  router.get('/progress', async (req, res) => {
    const query = parseInput(progressQuery, req.query);
    const days = Number(query.days);
    if (days < 1 || days > MAX_PROGRESS_DAYS) throw badRequest(`days must be 1–${MAX_PROGRESS_DAYS}, not ${days}`);
    res.json({ source: deps.progressSource, days: await deps.progress.rows({ tenant: query.tenant, route: query.route, days }) });
  });
  return router;
}

function badRequest(detail: string): GatewayError {
  return new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail } });
}
