/**
 * Stage 3, dispatch: send the request to its primary and, when the new path
 * fails, to legacy as fallback.ts allows (docs/architecture.md §4). Legacy has timeouts
 * but no fallback. Never throws: every end is a `Dispatched` value.
 * Failures answered: 502/504 (upstream errors, with their code), 400 (a
 * request undici refuses to send), 500 (a bug).
 *
 * `shadow` is served as `legacy` for now: the shadow copy lands in a later issue.
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
import { bodyForUpstream, bufferedBody, streamedBody, type PreparedBody } from './request-body.ts';
import type { Decision, NewUpstreamName, Reason } from '../model.ts';
import type { TenantUpstreams, UpstreamSet } from './upstream-set.ts';

/** What dispatch needs besides the request. */
export interface DispatchContext {
  readonly upstreams: UpstreamSet;
  readonly breakers: Breakers;
  /** Bodies that may fall back are buffered up to this (`server.maxBufferedBodyBytes`). */
  readonly maxBufferedBodyBytes: number;
  /** Keep an incoming `X-Forwarded-Proto: https` (`server.trustForwardedProto`). */
  readonly trustForwardedProto: boolean;
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
}

interface DispatchedBase {
  /** The final decision: after a fallback, primary `legacy` and the fallback reason. */
  readonly decision: Decision;
  /** Name of the upstream that answered or failed last; null when none was called. */
  readonly upstream: string | null;
  /** True when the body was over the buffering limit and streamed to the primary only. */
  readonly bodySkipped: boolean;
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
  const { decision, classified, req, heads } = input;
  const ups = ctx.upstreams.forTenant(classified.tenant);
  const primary = decision.primary;
  // Not an async function itself: the legacy path, the busiest, pays for one async frame, not two.
  if (primary === 'legacy') return toLegacy(input, ctx, ups, decision, streamedBody(req, heads), false);
  if (ctx.breakers.isOpen(primary, classified.tenant.id)) {
    return toLegacy(input, ctx, ups, fellBack(decision, 'breaker-open'), streamedBody(req, heads), false);
  }
  return toNewPath(input, ctx, ups, primary);
}

async function toNewPath(input: DispatchInput, ctx: DispatchContext, ups: TenantUpstreams, primary: NewUpstreamName): Promise<Dispatched> {
  const { decision, classified, req, heads } = input;
  let body: PreparedBody;
  try {
    body = await bufferedBody(req, heads, ctx.maxBufferedBodyBytes);
  } catch {
    return { kind: 'client-aborted', decision, upstream: null, bodySkipped: false };
  }
  const skipped = body.kind === 'stream' && body.skippedBuffering;
  const upstream = ups.new[primary];
  const run = await ctx.breakers.run(primary, classified.tenant.id, () => upstream.request(upstreamRequest(input, ctx, 'new', body)));
  const outcome: NewPathOutcome =
    run.outcome === 'rejected' ? { kind: 'rejected' } : run.outcome === 'failed' ? { kind: 'failed', error: run.error } : { kind: 'status', statusCode: run.value.statusCode };
  const reason = fallbackReason(outcome, classified.match.route.replayable, body.kind !== 'stream');
  if (reason !== null) {
    if (run.outcome === 'response') run.value.discard();
    return toLegacy(input, ctx, ups, fellBack(decision, reason), body, skipped);
  }
  if (run.outcome === 'response') return { kind: 'response', decision, upstream: upstream.name, response: run.value, bodySkipped: skipped };
  return failed(run.outcome === 'failed' ? run.error : undefined, decision, upstream.name, skipped);
}

async function toLegacy(input: DispatchInput, ctx: DispatchContext, ups: TenantUpstreams, decision: Decision, body: PreparedBody, skipped: boolean): Promise<Dispatched> {
  try {
    const response = await ups.legacy.request(upstreamRequest(input, ctx, 'legacy', body));
    return { kind: 'response', decision, upstream: ups.legacy.name, response, bodySkipped: skipped };
  } catch (err) {
    return failed(err, decision, ups.legacy.name, skipped);
  }
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

function fellBack(decision: Decision, reason: Reason): Decision {
  return { ...decision, primary: 'legacy', reason };
}

