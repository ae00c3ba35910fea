/**
 * The request pipeline. The ORDER of the stages lives here and only here
 * (style.md §2):
 *
 *   classify → resolve → dispatch → relay the response → record
 *
 * Each stage is a function over plain values; errors from a stage are turned
 * into responses in exactly one place (`answerError`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { GatewayError, sendError } from '../errors.ts';
import { Cancel } from '../upstream/cancel.ts';
import type { AppliedFlags } from '../flags/applied-flags.ts';
import type { Logger } from '../observability/logger.ts';
import { LOG_LINES } from '../observability/log-lines.ts';
import type { Stats } from '../observability/stats.ts';
import { relayResponse, type RelayOutcome } from '../server/relay.ts';
import { classify, type ClassifyContext } from './classify.ts';
import { dispatch, type DispatchContext } from './dispatch.ts';
import { CLIENT_CLOSED_STATUS, record, type RequestRecord } from './record.ts';
import { readRequestHeads, type RequestHeads } from './request-heads.ts';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.ts';
import { resolve } from './resolve.ts';
import { stickyKey } from './sticky-key.ts';

/** Everything the stages need, built once by main.ts. */
export interface PipelineDeps extends ClassifyContext, DispatchContext {
  readonly flags: AppliedFlags;
  readonly stats: Stats;
  readonly logger: Logger;
}

/**
 * Creates the public request handler.
 *
 * @example createPublicServer({ limits, handle: createPipeline(deps), stats, logger });
 */
export function createPipeline(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return function handleRequest(req, res) {
    const startedAt = performance.now();
    const heads = readRequestHeads(req.rawHeaders);
    const requestId = requestIdOf(heads.requestId);
    serve(req, res, heads, requestId, startedAt, deps).catch((err: unknown) => {
      deps.logger.error({ err, requestId }, LOG_LINES.unexpected);
      answerError(res, new GatewayError('GW_ERR_INTERNAL_UNEXPECTED', { params: { requestId }, cause: err }), requestId);
    });
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, heads: RequestHeads, requestId: string, startedAt: number, deps: PipelineDeps): Promise<void> {
  const method = req.method ?? 'GET';
  const rawTarget = req.url ?? '/';
  const base = { requestId, method, path: pathOf(rawTarget), bodySkipped: false };
  const classified = classify({ method, rawTarget, host: heads.host, httpVersion: req.httpVersion, peer: req.socket.remoteAddress, xForwardedFor: heads.xForwardedFor }, deps);
  if (classified instanceof GatewayError) {
    answerError(res, classified, requestId);
    return finish({ ...base, route: null, tenant: null, decision: null, upstream: null, status: classified.status, error: classified.code, outcome: 'complete' }, startedAt, deps);
  }
  const decision = resolve({
    route: classified.match.route,
    tenantId: classified.tenant.id,
    snapshot: deps.flags.current(),
    stickyKey: () => stickyKey({ cookie: heads.cookie, rawTarget, authorization: heads.authorization, clientIp: classified.client.ip }),
  });
  const cancel = new Cancel();
  res.once('close', () => {
    if (!res.writableFinished) cancel.cancel(new Error('client closed the connection'));
  });
  const out = await dispatch({ req, heads, classified, decision, requestId, cancel }, deps);
  const common = { ...base, route: classified.match.route.id, tenant: classified.tenant.id, decision: out.decision, upstream: out.upstream, bodySkipped: out.bodySkipped };
  if (out.kind === 'response') {
    const relayed = await relayResponse(res, out.response, requestId);
    return finish({ ...common, ...relayRecord(relayed, out.response.statusCode) }, startedAt, deps);
  }
  if (out.kind === 'error') {
    answerError(res, out.error, requestId);
    const errorCause = out.error.details?.cause;
    return finish({ ...common, status: out.error.status, error: out.error.code, ...(typeof errorCause === 'string' ? { errorCause } : {}), outcome: 'complete' }, startedAt, deps);
  }
  return finish({ ...common, status: CLIENT_CLOSED_STATUS, error: 'GW_ERR_CLIENT_ABORTED', outcome: 'client-aborted' }, startedAt, deps);
}

function relayRecord(relayed: RelayOutcome, status: number): Pick<RequestRecord, 'status' | 'error' | 'outcome'> {
  if (relayed.kind === 'complete') return { status, outcome: 'complete' };
  if (relayed.kind === 'client-aborted') return { status: CLIENT_CLOSED_STATUS, error: 'GW_ERR_CLIENT_ABORTED', outcome: 'client-aborted' };
  return { status, error: relayed.error.code, outcome: 'upstream-failed' };
}

/** The one place a GatewayError becomes a response. */
function answerError(res: ServerResponse, err: GatewayError, requestId: string): void {
  if (res.destroyed) return;
  if (!res.headersSent) res.setHeader(REQUEST_ID_HEADER, requestId);
  sendError(res, err);
}

function finish(r: Omit<RequestRecord, 'durationMs'>, startedAt: number, deps: PipelineDeps): void {
  record({ ...r, durationMs: performance.now() - startedAt }, deps);
}

function pathOf(rawTarget: string): string {
  const q = rawTarget.indexOf('?');
  return (q === -1 ? rawTarget : rawTarget.slice(0, q)).slice(0, 2048);
}
