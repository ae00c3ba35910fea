/**
 * Stage 3, dispatch: read the request body (request-body.ts: whole up to the
 * buffering limit, before any upstream connection is taken), send the request
 * to its primary and, when the new path fails, to legacy as fallback.ts allows
 * (docs/architecture.md §4). Legacy has timeouts but no fallback. Never throws:
 * every end is a `Dispatched` value. Failures answered: 502/504 (upstream
 * errors, with their code), 503 (an upstream's queue is full), 408 (the client
 * sent its body too slowly), 400 (a request undici refuses to send), 500 (a bug).
 *
 * In `shadow` mode legacy answers, and a copy goes to the route's new upstream as a dry run
 * beside it (shadow.ts), sent once the body is read and never waited for here.
 */
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors.ts';
import type { Breakers } from '../upstream/breaker.ts';
import type { Cancel } from '../upstream/cancel.ts';
import { buildForwardHeaders } from '../upstream/forward-headers.ts';
import type { UpstreamRequest, UpstreamResponse } from '../upstream/types.ts';
import { UpstreamError } from '../upstream/upstream-error.ts';
import type { Classified } from './classify.ts';
import type { RequestHeads } from './request-heads.ts';
import { fallbackReason, type NewPathOutcome } from './fallback.ts';
import { bodyForUpstream, readBody, type PreparedBody, type UnreadBody } from './request-body.ts';
import { callUpstream, type CallLabels, type RequestTrace, type RequestTracing } from './request-trace.ts';
import type { Decision, NewUpstreamName, Reason } from '../model.ts';
import type { TenantUpstreams, UpstreamSet } from './upstream-set.ts';
import { startShadow, type ShadowContext, type ShadowStarted } from './shadow.ts';

/** What dispatch needs besides the request. */
export interface DispatchContext {
  readonly upstreams: UpstreamSet;
  readonly breakers: Breakers;
  /** Request bodies are buffered up to this (`server.maxBufferedBodyBytes`). */
  readonly maxBufferedBodyBytes: number;
  /** Time a client has to send a buffered body (`server.requestTimeoutMs`). */
  readonly requestTimeoutMs: number;
  /** Keep an incoming `X-Forwarded-Proto: https` (`server.trustForwardedProto`). */
  readonly trustForwardedProto: boolean;
  /** The shadow copies and their comparison; absent: `shadow` is served as `legacy`, with no copy. */
  readonly shadow?: ShadowContext;
  /** Makes the request's spans (request-trace.ts); none without it. */
  readonly tracing?: RequestTracing | undefined;
}

/** One request on its way out. */
export interface DispatchInput {
  readonly req: IncomingMessage;
  /** The header fields the pipeline read (request-heads.ts). */
  readonly heads: RequestHeads;
  readonly classified: Classified;
  readonly decision: Decision;
  readonly requestId: string;
  /** Cancelled when the client goes away. */
  readonly cancel: Cancel;
  /** The request's trace: each upstream call is a child of its server span. */
  readonly trace?: RequestTrace | undefined;
}

interface DispatchedBase {
  /** The final decision: after a fallback, primary `legacy` and the fallback reason. */
  readonly decision: Decision;
  /** Name of the upstream that answered or failed last; null when none was called. */
  readonly upstream: string | null;
  /** True when the body was over the buffering limit and streamed to the primary only. */
  readonly bodySkipped: boolean;
  /** In shadow mode, the copy sent beside the primary (or the reason it was not). */
  readonly shadow?: ShadowStarted;
}

/** How dispatch ended. */
export type Dispatched = DispatchedBase &
  (
    | { readonly kind: 'response'; readonly response: UpstreamResponse }
    | { readonly kind: 'error'; readonly error: GatewayError }
    | { readonly kind: 'client-aborted' }
  );

/**
 * Dispatches one request.
 *
 * @example
 * const out = await dispatch({ req, heads, classified, decision, requestId, cancel }, ctx);
 * if (out.kind === 'response') await relayResponse(res, out.response, requestId);
 */
export function dispatch(input: DispatchInput, ctx: DispatchContext): Promise<Dispatched> {
  const ups = ctx.upstreams.forTenant(input.classified.tenant);
  const body = readBody(input.req, input.heads, ctx.maxBufferedBodyBytes, ctx.requestTimeoutMs);
  // Not an async function itself: a request without a body (most of them) pays for one async frame, not two.
  if (!(body instanceof Promise)) return toPrimary(input, ctx, ups, body);
  return afterBody(input, ctx, ups, body);
}

async function afterBody(input: DispatchInput, ctx: DispatchContext, ups: TenantUpstreams, reading: Promise<PreparedBody | UnreadBody>): Promise<Dispatched> {
  const { decision } = input;
  const body = await reading;
  if (body.kind === 'aborted') return { kind: 'client-aborted', decision, upstream: null, bodySkipped: false };
  if (body.kind === 'timeout') return { kind: 'error', decision, upstream: null, error: new GatewayError('GW_ERR_REQUEST_TIMEOUT'), bodySkipped: false };
  return toPrimary(input, ctx, ups, body);
}

function toPrimary(input: DispatchInput, ctx: DispatchContext, ups: TenantUpstreams, body: PreparedBody): Promise<Dispatched> {
  const { decision, classified } = input;
  const primary = decision.primary;
  const skipped = body.kind === 'stream';
  if (primary === 'legacy') {
    if (decision.mode === 'shadow' && decision.shadow !== undefined && ctx.shadow !== undefined) return shadowed(input, ctx, ctx.shadow, ups, decision.shadow, body);
    return toLegacy(input, ctx, ups, decision, body, skipped);
  }
  if (ctx.breakers.isOpen(primary, classified.tenant.id, classified.match.route.id)) {
    return toLegacy(input, ctx, ups, fellBack(decision, 'breaker-open'), body, skipped);
  }
  return toNewPath(input, ctx, ups, primary, body);
}

async function toNewPath(input: DispatchInput, ctx: DispatchContext, ups: TenantUpstreams, primary: NewUpstreamName, body: PreparedBody): Promise<Dispatched> {
  const { decision, classified } = input;
  const skipped = body.kind === 'stream';
  const upstream = ups.new[primary];
  const route = classified.match.route;
  const run = await ctx.breakers.run(primary, classified.tenant.id, () => callUpstream(input.trace, upstream, upstreamRequest(input, ctx, 'new', body), callLabels(input, decision)), route.id);
  const outcome: NewPathOutcome =
    run.outcome === 'rejected' ? { kind: 'rejected' } : run.outcome === 'failed' ? { kind: 'failed', error: run.error } : { kind: 'status', statusCode: run.value.statusCode };
  const reason = fallbackReason(outcome, route.replayable, body.kind !== 'stream');
  if (reason !== null) {
    if (run.outcome === 'response') run.value.discard();
    return toLegacy(input, ctx, ups, fellBack(decision, reason), body, skipped);
  }
  if (run.outcome === 'response') return { kind: 'response', decision, upstream: upstream.name, response: run.value, bodySkipped: skipped };
  return failed(run.outcome === 'failed' ? run.error : undefined, decision, upstream.name, skipped);
}

async function toLegacy(input: DispatchInput, ctx: DispatchContext, ups: TenantUpstreams, decision: Decision, body: PreparedBody, skipped: boolean): Promise<Dispatched> {
  try {
    const response = await callUpstream(input.trace, ups.legacy, upstreamRequest(input, ctx, 'legacy', body), callLabels(input, decision));
    return { kind: 'response', decision, upstream: ups.legacy.name, response, bodySkipped: skipped };
  } catch (err) {
    return failed(err, decision, ups.legacy.name, skipped);
  }
}

/** Legacy answers; the copy is started first so that both run side by side. */
async function shadowed(input: DispatchInput, ctx: DispatchContext, shadowCtx: ShadowContext, ups: TenantUpstreams, target: NewUpstreamName, body: PreparedBody): Promise<Dispatched> {
  const copy = upstreamRequest(input, ctx, 'new', body);
  const shadow = startShadow({
    route: input.classified.match.route, upstream: target, url: input.classified.tenant.newUrls[target], method: copy.method, path: copy.path,
    headers: copy.headers as readonly string[], traceparent: input.heads.traceparent, body,
    ...(input.trace ? { tracing: { trace: input.trace, tenant: input.classified.tenant.id } } : {}),
  }, shadowCtx);
  return { ...(await toLegacy(input, ctx, ups, input.decision, body, body.kind === 'stream')), shadow };
}

function upstreamRequest(input: DispatchInput, ctx: DispatchContext, upstream: 'legacy' | 'new', body: PreparedBody): UpstreamRequest {
  const { req, heads } = input;
  const proto = ctx.trustForwardedProto && heads.xForwardedProto === 'https' ? 'https' : 'http';
  const headers = buildForwardHeaders(req.rawHeaders, { forwardedFor: input.classified.client.forwardedFor, proto, requestId: input.requestId, upstream, host: heads.host ?? '' });
  return { method: req.method ?? 'GET', path: input.classified.requestTarget, headers, body: bodyForUpstream(body), cancel: input.cancel };
}

function failed(err: unknown, decision: Decision, upstream: string, bodySkipped: boolean): Dispatched {
  if (err instanceof UpstreamError && err.side === 'client-aborted') return { kind: 'client-aborted', decision, upstream, bodySkipped };
  const error = err instanceof GatewayError ? err : new GatewayError('GW_ERR_INTERNAL_UNEXPECTED', { params: { requestId: '-' }, cause: err });
  return { kind: 'error', decision, upstream, error, bodySkipped };
}

function callLabels(input: DispatchInput, decision: Decision): CallLabels {
  return { route: input.classified.match.route.id, tenant: input.classified.tenant.id, decision, clientTraceparent: input.heads.traceparent };
}

function fellBack(decision: Decision, reason: Reason): Decision {
  return { ...decision, primary: 'legacy', reason };
}

