/**
 * The gateway's Prometheus metrics (prom-client), served as `/metrics` on the
 * admin port (docs/architecture.md §8). One registry per gateway, never the
 * global one: tests run several gateways in a process.
 *
 * The request metrics are fed by the record stage from the request record
 * (pipeline/record-fields.ts holds the one list of fields: `REQUEST_LABELS`
 * must be its metric labels); the other metrics have one function each, so the
 * part that knows the event (breakers, shadow comparison, guard) calls it.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Labels of the per-request metrics: route × upstream × mode. */
export const REQUEST_LABELS = ['route', 'upstream', 'mode'] as const;

/** Breaker states as the gauge shows them. */
const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Latency buckets in seconds: the gateway adds < 1 ms; upstreams take 1 ms – 30 s. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type RequestLabel = (typeof REQUEST_LABELS)[number];

/** The per-request series of one route × upstream × mode, looked up once. */
interface RequestSeries {
  readonly requests: { inc(): void };
  readonly duration: { observe(value: number): void };
}

/** The gateway's metrics; every name starts with `strangler_`. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests = new Counter<RequestLabel>({ name: 'strangler_requests_total', help: 'Requests answered, per route, upstream that answered (or failed last) and mode', labelNames: REQUEST_LABELS, registers: [this.registry] });
  readonly #errors = new Counter<RequestLabel | 'code'>({ name: 'strangler_request_errors_total', help: 'Requests that ended with a GW_ERR_* code (status >= 500, client gone, response cut, refusals)', labelNames: [...REQUEST_LABELS, 'code'], registers: [this.registry] });
  readonly #duration = new Histogram<RequestLabel>({ name: 'strangler_request_duration_seconds', help: 'Time from the request line to the end of the response', labelNames: REQUEST_LABELS, buckets: DURATION_BUCKETS, registers: [this.registry] });
  readonly #fallbacks = new Counter<'route' | 'reason'>({ name: 'strangler_fallbacks_total', help: 'Requests sent back to legacy after the new path failed, by reason', labelNames: ['route', 'reason'], registers: [this.registry] });
  readonly #breakerState = new Gauge<'upstream' | 'tenant' | 'route'>({ name: 'strangler_breaker_state', help: 'State of a breaker: 0 closed, 1 half-open, 2 open (route is empty for the shared breaker of an upstream and tenant)', labelNames: ['upstream', 'tenant', 'route'], registers: [this.registry] });
  readonly #breakerTransitions = new Counter<'upstream' | 'tenant' | 'route' | 'to'>({ name: 'strangler_breaker_transitions_total', help: 'Breaker state changes, by the state entered', labelNames: ['upstream', 'tenant', 'route', 'to'], registers: [this.registry] });
  readonly #shadowComparisons = new Counter<'route' | 'result'>({ name: 'strangler_shadow_comparisons_total', help: 'Shadow comparisons by result (match, mismatch)', labelNames: ['route', 'result'], registers: [this.registry] });
  readonly #shadowSkips = new Counter<'route' | 'reason'>({ name: 'strangler_shadow_skips_total', help: 'Shadow copies or comparisons skipped, by reason', labelNames: ['route', 'reason'], registers: [this.registry] });
  readonly #flagVersion = new Gauge({ name: 'strangler_flag_version_applied', help: 'Version of the flag snapshot this replica applied', registers: [this.registry] });
  readonly #progressRequests = new Counter<'tenant' | 'route' | 'answered_by'>({ name: 'strangler_progress_requests_total', help: 'Migration progress: requests per tenant and route, by who answered (new or legacy)', labelNames: ['tenant', 'route', 'answered_by'], registers: [this.registry] });
  readonly #progressFallbacks = new Counter<'tenant' | 'route'>({ name: 'strangler_progress_fallbacks_total', help: 'Migration progress: requests the new path failed and legacy answered, per tenant and route', labelNames: ['tenant', 'route'], registers: [this.registry] });
  readonly #series = new Map<string, RequestSeries>();
  /** The progress series of one tenant × route: answered by new, by legacy, fallbacks. */
  readonly #progress = new Map<string, { readonly byNew: { inc(): void }; readonly byLegacy: { inc(): void }; readonly fellBack: { inc(): void } }>();

  constructor() {
    // The process's own figures under their usual names (process_*, nodejs_*): CPU, memory, GC and the event loop's delay,
    // which says whether a slow request waited on the gateway's own work. The delay's histogram restarts at every scrape.
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * One finished request. `errorCode` is the GW_ERR_* code when it had one.
   *
   * @example metrics.observeRequest('tracking.pixel', 'tracking', 'canary', 0.004, undefined);
   */
  observeRequest(route: string, upstream: string, mode: string, seconds: number, errorCode: string | undefined): void {
    const key = `${route}\n${upstream}\n${mode}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      const labels = { route, upstream, mode };
      series = { requests: this.#requests.labels(labels), duration: this.#duration.labels(labels) };
      this.#series.set(key, series);
    }
    series.requests.inc();
    series.duration.observe(seconds);
    if (errorCode !== undefined) this.#errors.inc({ route, upstream, mode, code: errorCode });
  }

  /** A fallback to legacy (reasons `breaker-open`, `fallback-connect-error`, `fallback-replay`). */
  observeFallback(route: string, reason: string): void {
    this.#fallbacks.inc({ route, reason });
  }

  /** Migration progress of one request that had a decision: answered by a new service or by legacy, and whether it fell back. */
  observeProgress(tenant: string, route: string, answeredByNew: boolean, fellBack: boolean): void {
    const key = `${tenant}\n${route}`;
    let series = this.#progress.get(key);
    if (series === undefined) {
      series = {
        byNew: this.#progressRequests.labels({ tenant, route, answered_by: 'new' }), byLegacy: this.#progressRequests.labels({ tenant, route, answered_by: 'legacy' }),
        fellBack: this.#progressFallbacks.labels({ tenant, route }),
      };
      this.#progress.set(key, series);
    }
    (answeredByNew ? series.byNew : series.byLegacy).inc();
    if (fellBack) series.fellBack.inc();
  }

  /** A breaker changed state (breakers.onStateChange). */
  recordBreakerChange(change: { readonly upstream: string; readonly tenant: string; readonly route?: string; readonly state: keyof typeof BREAKER_STATE_VALUE }): void {
    const labels = { upstream: change.upstream, tenant: change.tenant, route: change.route ?? '' };
    this.#breakerState.set(labels, BREAKER_STATE_VALUE[change.state]);
    this.#breakerTransitions.inc({ ...labels, to: change.state });
  }

  /** A shadow comparison finished: `match` or `mismatch`. For the shadow dispatch to call. */
  recordShadowComparison(route: string, result: 'match' | 'mismatch'): void {
    this.#shadowComparisons.inc({ route, result });
  }

  /** A shadow copy or comparison was skipped, with its reason (`body-too-large`, `cap-full`, …). For the shadow dispatch to call. */
  recordShadowSkip(route: string, reason: string): void {
    this.#shadowSkips.inc({ route, reason });
  }

  /** The flag snapshot version this replica applied. */
  setFlagVersion(version: number): void {
    this.#flagVersion.set(version);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
