/**
 * The request pipeline. The ORDER of the stages lives here and only here
 * (docs/style.md §2):
 *
 *   classify → resolve → dispatch → relay the response → (compare) → record
 *
 * In shadow mode the comparison waits for the copy (bounded by `shadow.deadlineMs`) after
 * the client has its answer; the record waits for the comparison, so its line says `diff`.
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
import { relayResponse } from '../server/relay.ts';
import { classify, type ClassifyContext } from './classify.ts';
import { dispatch, type DispatchContext } from './dispatch.ts';
import { observe, type ObserveDeps } from './observe.ts';
import { CLIENT_CLOSED_STATUS, record, type RequestRecord } from './record.ts';
import { RequestTrace } from './request-trace.ts';
import { readRequestHeads, type RequestHeads } from './request-heads.ts';
import { REQUEST_ID_HEADER, requestIdOf } from '../server/request-id.ts';
import { resolve } from './resolve.ts';
import type { RouteGate } from './route-gate.ts';
import type { CompiledRoute } from '../routing/types.ts';
import { stickyKey } from './sticky-key.ts';
import type { Decision } from '../model.ts';
import type { SkipReason } from '../compare/types.ts';
import { legacyCapture, settleShadow, type ShadowStarted } from './shadow.ts';
import { teeResponse } from './shadow-tee.ts';
import type { BodyCapture } from '../compare/capture.ts';

/** Everything the stages need, built once by main.ts. */
export interface PipelineDeps extends ClassifyContext, DispatchContext, ObserveDeps {
  readonly flags: AppliedFlags;
  readonly stats: Stats;
  readonly logger: Logger;
  /** The per-route caps on requests in flight. */
  readonly routeGate: RouteGate;
  /** Told of every finished request, after record (the guard's windows, gateway/src/guard/). */
  readonly guard?: { observe(record: RequestRecord): void };
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
    const rt = deps.tracing === undefined ? undefined : RequestTrace.start(deps.tracing, req.method ?? 'GET', heads, performance.timeOrigin + startedAt);
    serve(req, res, heads, requestId, startedAt, deps, rt).catch((err: unknown) => {
      deps.logger.error({ err, requestId }, LOG_LINES.unexpected);
      // A bug ended the request before record: its trace still ends, as an error, and is kept.
      rt?.fail(req.method ?? 'GET', 'GW_ERR_INTERNAL_UNEXPECTED');
      answerError(res, new GatewayError('GW_ERR_INTERNAL_UNEXPECTED', { params: { requestId }, cause: err }), requestId);
    });
  };
}

/**
 * The record of one request, filled in as the stages run: one object instead
 * of a copy per stage (bench/README.md, bytes allocated per request).
 */
class RequestRun implements RequestRecord {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  route: string | null = null;
  tenant: string | null = null;
  decision: Decision | null = null;
  upstream: string | null = null;
  status = 0;
  durationMs = 0;
  error: string | undefined = undefined;
  errorCause: string | undefined = undefined;
  outcome: RequestRecord['outcome'] = 'complete';
  bodySkipped = false;
  diff: RequestRecord['diff'] = undefined;
  diffSkipReason: SkipReason | undefined = undefined;
  traceId: string | undefined = undefined;
  /** The request's trace, ended by observe. */
  readonly trace: RequestTrace | undefined;

  constructor(requestId: string, method: string, path: string, rt: RequestTrace | undefined) {
    this.requestId = requestId;
    this.method = method;
    this.path = path;
    this.trace = rt;
    if (rt !== undefined) this.traceId = rt.traceId;
  }

  failed(status: number, code: string, outcome: RequestRecord['outcome']): void {
    this.status = status;
    this.error = code;
    this.outcome = outcome;
  }

  /** The client went away before the response was done. */
  clientLeft(): void {
    this.failed(CLIENT_CLOSED_STATUS, 'GW_ERR_CLIENT_ABORTED', 'client-aborted');
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, heads: RequestHeads, requestId: string, startedAt: number, deps: PipelineDeps, rt: RequestTrace | undefined): Promise<void> {
  const method = req.method ?? 'GET';
  const rawTarget = req.url ?? '/';
  const run = new RequestRun(requestId, method, pathOf(rawTarget), rt);
  const classified = classify({ method, rawTarget, host: heads.host, httpVersion: req.httpVersion, peer: req.socket.remoteAddress, xForwardedFor: heads.xForwardedFor }, deps);
  if (classified instanceof GatewayError) return refuse(res, run, classified, startedAt, deps);
  const decision = resolve({
    route: classified.match.route,
    tenantId: classified.tenant.id,
    snapshot: deps.flags.current(),
    stickyKey: () => stickyKey({ cookie: heads.cookie, rawTarget, authorization: heads.authorization, clientIp: classified.client.ip }),
  });
  const routeId = classified.match.route.id;
  run.route = routeId;
  run.tenant = classified.tenant.id;
  if (!deps.routeGate.enter(routeId)) {
    run.decision = decision;
    return refuse(res, run, new GatewayError('GW_ERR_ROUTE_CONCURRENCY_LIMIT', { params: { routeId, limit: deps.routeGate.limit(routeId) ?? 0 } }), startedAt, deps);
  }
  const cancel = new Cancel();
  res.once('close', () => {
    deps.routeGate.leave(routeId);
    if (!res.writableFinished) cancel.cancel(new Error('client closed the connection'));
  });
  const out = await dispatch({ req, heads, classified, decision, requestId, cancel, trace: rt }, deps);
  run.decision = out.decision;
  run.upstream = out.upstream;
  run.bodySkipped = out.bodySkipped;
  if (out.kind === 'response') {
    const capture = out.shadow?.sent === true && deps.shadow ? legacyCapture(out.response.statusCode, out.response.rawHeaders, deps.shadow) : undefined;
    const relayed = await relayResponse(res, capture ? teeResponse(out.response, capture) : out.response, requestId);
    if (relayed.kind === 'complete') run.status = out.response.statusCode;
    else if (relayed.kind === 'client-aborted') run.clientLeft();
    else run.failed(out.response.statusCode, relayed.error.code, 'upstream-failed');
    if (out.shadow) return finishShadowed(run, startedAt, out.shadow, relayed.kind === 'complete' ? capture : undefined, classified.match.route, deps);
    return finish(run, startedAt, deps);
  }
  if (out.kind === 'error') {
    // The rest of a body that came too slowly is not waited for: the connection ends with the answer.
    if (out.error.code === 'GW_ERR_REQUEST_TIMEOUT' && !res.headersSent) res.setHeader('connection', 'close');
    const errorCause = out.error.details?.cause;
    if (typeof errorCause === 'string') run.errorCause = errorCause;
    if (out.shadow) {
      answerError(res, out.error, run.requestId);
      run.failed(out.error.status, out.error.code, 'complete');
      return finishShadowed(run, startedAt, out.shadow, undefined, classified.match.route, deps);
    }
    return refuse(res, run, out.error, startedAt, deps);
  }
  run.clientLeft();
  if (out.shadow) return finishShadowed(run, startedAt, out.shadow, undefined, classified.match.route, deps);
  return finish(run, startedAt, deps);
}

/**
 * Records a shadowed request once its comparison is settled. The duration is the client's,
 * taken before waiting for the copy.
 */
function finishShadowed(run: RequestRun, startedAt: number, shadow: ShadowStarted, capture: BodyCapture | undefined, route: CompiledRoute, deps: PipelineDeps): Promise<void> {
  const settling = settleAndRecord(run, startedAt, shadow, capture, route, deps);
  // Only a copy that went out can keep its request waiting until the shutdown; one skipped at once settles now.
  return shadow.sent ? deps.shadow!.pending.track(settling) : settling;
}

async function settleAndRecord(run: RequestRun, startedAt: number, shadow: ShadowStarted, capture: BodyCapture | undefined, route: CompiledRoute, deps: PipelineDeps): Promise<void> {
  run.durationMs = performance.now() - startedAt;
  const comparison = await settleShadow({ route, tenant: run.tenant ?? 'default', requestId: run.requestId }, shadow, { capture, latencyMs: run.durationMs }, deps.shadow!);
  run.diff = comparison.outcome;
  if (comparison.outcome === 'skipped') run.diffSkipReason = comparison.reason;
  // The trace ends now, so it carries strangler.diff (and a mismatch keeps its trace), but dated when the client had its answer.
  recordAll(run, deps, performance.timeOrigin + startedAt + run.durationMs);
}

/** Answers a stage's error and records it. */
function refuse(res: ServerResponse, run: RequestRun, err: GatewayError, startedAt: number, deps: PipelineDeps): void {
  answerError(res, err, run.requestId);
  run.failed(err.status, err.code, 'complete');
  finish(run, startedAt, deps);
}

/** The one place a GatewayError becomes a response. */
function answerError(res: ServerResponse, err: GatewayError, requestId: string): void {
  if (res.destroyed) return;
  if (!res.headersSent) res.setHeader(REQUEST_ID_HEADER, requestId);
  sendError(res, err);
}

function finish(run: RequestRun, startedAt: number, deps: PipelineDeps): void {
  run.durationMs = performance.now() - startedAt;
  recordAll(run, deps);
}

/** The finished record goes to the log line and counters, the guard, and the metrics and trace. */
function recordAll(run: RequestRun, deps: PipelineDeps, spanEndTime?: number): void {
  record(run, deps);
  deps.guard?.observe(run);
  observe(run, deps, run.trace, spanEndTime);
}

function pathOf(rawTarget: string): string {
  const q = rawTarget.indexOf('?');
  return (q === -1 ? rawTarget : rawTarget.slice(0, q)).slice(0, 2048);
}
