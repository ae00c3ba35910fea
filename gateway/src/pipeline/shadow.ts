/**
 * Shadow mode in the pipeline (docs/architecture.md §3, §5, §6): `startShadow` sends the copy
 * beside the primary, never before it; `settleShadow` compares the two answers once the
 * client has its own, and hands the result to the comparison recorder. Neither throws and
 * neither is awaited by the primary path.
 */
import { captureBody, type BodyCapture } from '../compare/capture.ts';
import { compareResponses } from '../compare/compare.ts';
import type { ComparisonRecorder } from '../compare/comparison-recorder.ts';
import type { Comparison } from '../compare/types.ts';
import type { CompiledRoute } from '../routing/types.ts';
import type { NewUpstreamName } from '../model.ts';
import type { PreparedBody } from './request-body.ts';
import type { ShadowResult, ShadowSender } from './shadow-sender.ts';
import type { ChildSpan, RequestTrace, StartedChild } from './request-trace.ts';
import { traceParentOf } from './trace-context.ts';

/** The header that marks a shadow copy (docs/architecture.md §5). */
export const SHADOW_MODE_HEADER = 'x-strangler-mode';

/** What the shadow side of the pipeline needs, built once by main.ts. */
export interface ShadowContext {
  readonly sender: ShadowSender;
  readonly recorder: ComparisonRecorder;
  /** `comparison.captureBodyBytes` and `comparison.maxDifferences`. */
  readonly captureBodyBytes: number;
  readonly maxDifferences: number;
  /** Shadowed requests still waiting for their copy, so the shutdown can wait for their records. */
  readonly pending: PendingShadows;
}

/**
 * The shadowed requests whose copy went out and whose comparison and record are still to
 * come (each waits at most for its copy's deadline). The shutdown closes the shadow pools, which ends every copy, then
 * waits here before it closes the diff store and writes the last log lines.
 */
export class PendingShadows {
  readonly #pending = new Set<Promise<void>>();

  /** Adds one request's settling; returns it. */
  track(settling: Promise<void>): Promise<void> {
    this.#pending.add(settling);
    // Both ways, so a settling that rejects (a bug, answered by the pipeline) leaves no unhandled rejection here.
    const remove = (): void => void this.#pending.delete(settling);
    settling.then(remove, remove);
    return settling;
  }

  /** Resolves once every request tracked so far has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }
}

/** A copy on its way: its result (never rejects), its trace id and when the request came in. */
export interface ShadowStarted {
  readonly result: Promise<ShadowResult>;
  /** False when no copy went out (skipped at once): legacy's answer then needs no capture. */
  readonly sent: boolean;
  readonly traceId: string;
  readonly at: Date;
  /** The copy's client span, when the gateway traces: ended once the comparison is settled. */
  readonly span?: ChildSpan;
}

/** The copy's request, as dispatch built it for the new upstream. */
export interface ShadowRequestInput {
  readonly route: CompiledRoute;
  readonly upstream: NewUpstreamName;
  readonly url: string;
  readonly method: string;
  readonly path: string;
  /** Headers for the new upstream (`buildForwardHeaders(…, upstream: 'new')`). */
  readonly headers: readonly string[];
  /** The client's `traceparent` (request-heads.ts). */
  readonly traceparent: string | undefined;
  readonly body: PreparedBody;
  /** When the gateway traces: the copy gets a client span in the request's trace, linked to its server span. */
  readonly tracing?: { readonly trace: RequestTrace; readonly tenant: string };
}

const CAP_FULL: Promise<ShadowResult> = Promise.resolve({ kind: 'skipped', reason: 'cap-full' });
const DRY_RUN_UNSUPPORTED: Promise<ShadowResult> = Promise.resolve({ kind: 'skipped', reason: 'dry-run-unsupported' });
const BODY_TOO_LARGE: Promise<ShadowResult> = Promise.resolve({ kind: 'skipped', reason: 'body-too-large' });

/**
 * Sends the copy, or says at once why not: a route whose service does not declare the dry
 * run (`dry-run-unsupported`), a body over the buffering limit (`body-too-large`), the cap.
 *
 * @example const shadow = startShadow({ route, upstream: 'tracking', url, method, path, headers, traceparent: heads.traceparent, body }, ctx.shadow);
 */
export function startShadow(input: ShadowRequestInput, ctx: ShadowContext): ShadowStarted {
  // Without the gateway's tracing, the copy continues the client's traceparent or a new one (random bytes: only then).
  const trace = input.tracing ? { traceId: input.tracing.trace.traceId, header: '' } : traceParentOf(input.traceparent);
  const at = new Date();
  // Skipped at once: no copy, and the cheapest answer, since under a full cap this is most requests.
  const notSent = (result: Promise<ShadowResult>): ShadowStarted => ({ result, sent: false, traceId: trace.traceId, at });
  if (input.route.dryRun !== true || input.route.comparison === undefined) return notSent(DRY_RUN_UNSUPPORTED);
  if (input.body.kind === 'stream') return notSent(BODY_TOO_LARGE);
  if (!ctx.sender.hasRoom(input.url)) return notSent(CAP_FULL);
  const headers: string[] = [];
  for (let i = 0; i + 1 < input.headers.length; i += 2) {
    if (input.headers[i] !== 'traceparent' && input.headers[i] !== 'tracestate') headers.push(input.headers[i]!, input.headers[i + 1]!);
  }
  const child = input.tracing ? shadowSpan(input, input.tracing) : undefined;
  headers.push(SHADOW_MODE_HEADER, 'shadow', 'traceparent', child ? child.traceparent : trace.header);
  const body = input.body.kind === 'buffered' ? input.body.bytes : null;
  const result = ctx.sender.send({ upstream: input.upstream, url: input.url, request: { method: input.method, path: input.path, headers, body } });
  return { result, sent: true, traceId: trace.traceId, at, ...(child ? { span: child.span } : {}) };
}

/** The copy's span: a child of the server span (same trace, so the service's spans join it), and linked to it. */
function shadowSpan(input: ShadowRequestInput, tracing: NonNullable<ShadowRequestInput['tracing']>): StartedChild {
  return tracing.trace.child({
    name: `${input.method} ${input.upstream} (shadow)`, linkToServer: true,
    attributes: { 'strangler.route': input.route.id, 'strangler.tenant': tracing.tenant, 'strangler.mode': 'shadow', 'strangler.upstream': input.upstream },
  });
}

/** A capture for the legacy answer of a shadowed request, bounded like the copy's. */
export function legacyCapture(status: number, rawHeaders: readonly string[], ctx: ShadowContext): BodyCapture {
  return captureBody(status, rawHeaders, ctx.captureBodyBytes);
}

/** The primary's side of a shadowed request once the client has its answer. */
export interface LegacySide {
  /** The capture when the answer was relayed in full; undefined when it was not. */
  readonly capture: BodyCapture | undefined;
  /** From the request's start to the last byte relayed, ms. */
  readonly latencyMs: number;
}

/** Who the request was, for the diff record and the listeners. */
export interface ShadowedRequest {
  readonly route: CompiledRoute;
  readonly tenant: string;
  readonly requestId: string;
}

/**
 * Waits for the copy, compares, and settles the comparison in the recorder.
 *
 * @returns what the comparison gave, for the request record.
 */
export async function settleShadow(request: ShadowedRequest, shadow: ShadowStarted, legacy: LegacySide, ctx: ShadowContext): Promise<Comparison> {
  const result = await shadow.result;
  const captured = legacy.capture?.result();
  const base = { routeId: request.route.id, tenant: request.tenant, at: shadow.at, traceId: shadow.traceId, requestId: request.requestId };
  const legacySide = captured ? { status: captured.status, latencyMs: legacy.latencyMs } : undefined;
  let comparison: Comparison;
  if (result.kind === 'skipped') comparison = { outcome: 'skipped', reason: result.reason };
  else if (captured === undefined) comparison = { outcome: 'skipped', reason: 'legacy-incomplete' };
  else comparison = compareResponses(request.route.comparison!, captured, result.captured, { maxDifferences: ctx.maxDifferences });
  const newSide = result.kind === 'answer' ? { status: result.captured.status, latencyMs: result.latencyMs } : undefined;
  if (shadow.span) {
    shadow.span.setAttribute('strangler.diff', comparison.outcome);
    if (comparison.outcome === 'skipped') shadow.span.setAttribute('strangler.diff_skip_reason', comparison.reason);
    if (newSide) shadow.span.setAttribute('http.response.status_code', newSide.status);
    shadow.span.end();
  }
  ctx.recorder.settle({
    ...base, comparison,
    ...(legacySide ? { legacy: legacySide } : {}),
    ...(newSide ? { new: newSide } : {}),
    ...(captured && result.kind === 'answer' ? { captures: { legacy: captured, new: result.captured } } : {}),
  });
  return comparison;
}
