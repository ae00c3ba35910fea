/**
 * One opossum breaker per (new upstream, tenant) (docs/architecture.md §4, CONTEXT.md: Breaker),
 * created on first use.
 *
 * What counts as a failure: an upstream-side UpstreamError (connect, headers or
 * total timeout, reset, invalid response) and a response with status ≥ 500
 * (Skipper counts statuses below 500 as success). A client abort or a request
 * that could not be sent does not count.
 *
 * opossum's own `timeout` is off: the upstream client already bounds every
 * exchange and cancels it, while an opossum timeout would only stop waiting and
 * leave the exchange running.
 *
 * A half-open trial that ends without a verdict (the client left, or the
 * request could not be sent) says nothing about the upstream. opossum has no
 * neutral outcome and would close the breaker on it, sending every request to
 * an upstream nobody saw answer; here such a trial re-opens the breaker
 * instead, and the next trial comes after `resetTimeoutMs`. Listeners see
 * half-open → open, never the close opossum makes on the way.
 *
 * Two trips open a closed breaker: opossum's failure rate over its rolling
 * window (a flaky upstream), and `consecutiveFailures` upstream-side failures
 * in a row (a dead one), counted here because opossum has no such option; it
 * opens the breaker with `open()`, so half-open works the same after either.
 * opossum's rolling percentiles are off: with them every failure concatenates
 * and sorts every latency of the window, which made a dead upstream cost the
 * gateway most of its CPU (issue #10); without them a request costs the same
 * bookkeeping whatever its outcome.
 *
 * A route with its own settings (`routes.<routeId>.breaker`) gets its own
 * breaker per (upstream, tenant); every other route shares the upstream's.
 */
import CircuitBreaker from 'opossum';
import { isUpstreamFault } from './upstream-error.ts';
import { resolveBreakerOptions, type ResolvedBreakerOptions } from './breaker-options.ts';
import type { BreakerOptions } from './breaker-options.ts';

export type { BreakerOptions } from './breaker-options.ts';

/** State of one breaker, as metrics and the dashboard show it. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Emitted when a breaker changes state. */
export interface BreakerStateChange {
  readonly upstream: string;
  readonly tenant: string;
  readonly state: BreakerState;
  /** Set for the own breaker of a route with its own settings. */
  readonly route?: string;
}

/** What the caller gets from `run`: never a throw. */
export type BreakerRun<T> =
  /** The upstream answered (any status; a 5xx was counted as a failure). */
  | { readonly outcome: 'response'; readonly value: T }
  /** The breaker is open: the call was not made, nothing was sent (reason `breaker-open`). */
  | { readonly outcome: 'rejected' }
  /** The call failed; `error` is what it threw (an UpstreamError from the client). */
  | { readonly outcome: 'failed'; readonly error: unknown };

/** Anything with a status, e.g. UpstreamResponse. */
export interface HasStatus { readonly statusCode: number }

type Call = () => Promise<HasStatus>;

/** Carries a 5xx response through opossum as a failure, then back to the caller. */
class ServerErrorStatus extends Error {
  readonly response: HasStatus;
  constructor(response: HasStatus) {
    super(`upstream answered ${response.statusCode}`);
    this.response = response;
  }
}

/** The breakers of one gateway process. `route` picks a route's own breaker when it has settings of its own. */
export interface Breakers {
  /** The breaker of (upstream, tenant), or of (upstream, tenant, route), created on first use. */
  get(upstream: string, tenant: string, route?: string): CircuitBreaker<[Call], HasStatus>;
  /**
   * Runs `call` (one upstream request) through the breaker of (upstream, tenant).
   *
   * @example
   * const run = await breakers.run('forms', tenant, () => forms.request(req), 'forms.submit');
   * if (run.outcome === 'rejected') { ...fall back to legacy, reason 'breaker-open'... }
   */
  run<T extends HasStatus>(upstream: string, tenant: string, call: () => Promise<T>, route?: string): Promise<BreakerRun<T>>;
  /** True while the breaker is open (not half-open); false for one never used. */
  isOpen(upstream: string, tenant: string, route?: string): boolean;
  state(upstream: string, tenant: string, route?: string): BreakerState;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: (change: BreakerStateChange) => void): () => void;
  /** Stops every breaker's timers; later runs fail with opossum's ESHUTDOWN. */
  shutdown(): void;
}

/** True for the errors a breaker must count (errorFilter returns the opposite). */
function countsAsFailure(err: unknown): boolean {
  return err instanceof ServerErrorStatus || isUpstreamFault(err);
}

async function callThroughStatus(call: Call): Promise<HasStatus> {
  const response = await call();
  if (response.statusCode >= 500) throw new ServerErrorStatus(response);
  return response;
}

/** One breaker and its run of failures. */
interface Entry {
  readonly breaker: CircuitBreaker<[Call], HasStatus>;
  readonly consecutiveLimit: number;
  /** Upstream-side failures since the last success or state change. */
  failuresInARow: number;
}

/** Where a breaker belongs, as its state changes say it. */
type Owner = Omit<BreakerStateChange, 'state'>;

/**
 * Creates the breaker registry. Throws GW_ERR_CONFIG_INVALID on bad options.
 *
 * @param opts - every breaker's settings (`breaker.*`).
 * @param routes - settings of routes with their own breakers (`routes.<routeId>.breaker`), over `opts`.
 * @example
 * const breakers = createBreakers({ errorThresholdPercentage: 50, resetTimeoutMs: 5000 }, { 'forms.submit': { consecutiveFailures: 3 } });
 * breakers.onStateChange(({ upstream, tenant, state }) => metrics.breakerState.set({ upstream, tenant }, ...));
 */
export function createBreakers(opts: BreakerOptions = {}, routes: Readonly<Record<string, BreakerOptions>> = {}): Breakers {
  const shared = resolveBreakerOptions(opts);
  const own = new Map(Object.entries(routes).map(([route, o]) => [route, resolveBreakerOptions({ ...opts, ...o })]));
  const entries = new Map<string, Entry>();
  const listeners = new Set<(change: BreakerStateChange) => void>();
  const notify = (change: BreakerStateChange): void => listeners.forEach((listener) => listener(change));
  let shut = false;

  function entryOf(upstream: string, tenant: string, route: string | undefined): Entry {
    const ownRoute = route !== undefined && own.has(route) ? route : undefined;
    const key = ownRoute === undefined ? `${upstream}\u0000${tenant}` : `${upstream}\u0000${tenant}\u0000${ownRoute}`;
    let entry = entries.get(key);
    if (!entry) {
      const owner: Owner = ownRoute === undefined ? { upstream, tenant } : { upstream, tenant, route: ownRoute };
      const options = ownRoute === undefined ? shared : (own.get(ownRoute) as ResolvedBreakerOptions);
      entry = createEntry(owner, options, notify);
      entries.set(key, entry);
    }
    return entry;
  }

  async function run<T extends HasStatus>(upstream: string, tenant: string, call: () => Promise<T>, route?: string): Promise<BreakerRun<T>> {
    if (shut) return { outcome: 'failed', error: Object.assign(new Error('breakers are shut down'), { code: 'ESHUTDOWN' }) };
    const entry = entryOf(upstream, tenant, route);
    try {
      const value = (await entry.breaker.fire(call)) as T;
      entry.failuresInARow = 0;
      return { outcome: 'response', value };
    } catch (err) {
      if ((err as { code?: unknown }).code === 'EOPENBREAKER') return { outcome: 'rejected' };
      if (countsAsFailure(err)) countFailure(entry);
      if (err instanceof ServerErrorStatus) return { outcome: 'response', value: err.response as T };
      return { outcome: 'failed', error: err };
    }
  }

  function state(upstream: string, tenant: string, route?: string): BreakerState {
    const ownRoute = route !== undefined && own.has(route) ? `\u0000${route}` : '';
    const breaker = entries.get(`${upstream}\u0000${tenant}${ownRoute}`)?.breaker;
    if (breaker?.opened) return 'open';
    return breaker?.halfOpen ? 'half-open' : 'closed';
  }

  return {
    get: (upstream, tenant, route) => entryOf(upstream, tenant, route).breaker,
    run,
    isOpen: (upstream, tenant, route) => state(upstream, tenant, route) === 'open',
    state,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    shutdown() {
      shut = true;
      entries.forEach((entry) => entry.breaker.shutdown());
      listeners.clear();
    },
  };
}

/** A closed breaker whose run of failures reaches the limit opens; opossum opens a half-open one itself. */
function countFailure(entry: Entry): void {
  entry.failuresInARow += 1;
  const { breaker } = entry;
  if (entry.consecutiveLimit > 0 && entry.failuresInARow >= entry.consecutiveLimit && !breaker.opened && !breaker.halfOpen) breaker.open();
}

function createEntry(owner: Owner, options: ResolvedBreakerOptions, notify: (change: BreakerStateChange) => void): Entry {
  // Set while opossum closes the breaker on a neutral half-open trial, which is re-opened at once.
  let neutralTrial = false;
  const breaker: CircuitBreaker<[Call], HasStatus> = new CircuitBreaker(callThroughStatus, {
    name: owner.route === undefined ? `${owner.upstream}/${owner.tenant}` : `${owner.upstream}/${owner.tenant}/${owner.route}`,
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage,
    resetTimeout: options.resetTimeoutMs,
    volumeThreshold: options.volumeThreshold,
    rollingCountTimeout: options.rollingCountTimeoutMs,
    rollingCountBuckets: options.rollingCountBuckets,
    rollingPercentilesEnabled: false,
    errorFilter: (err: unknown) => {
      const neutral = !countsAsFailure(err);
      // opossum calls this just before it emits 'success', which closes a half-open breaker.
      if (neutral && breaker.halfOpen) neutralTrial = true;
      return neutral;
    },
  });
  const entry: Entry = { breaker, consecutiveLimit: options.consecutiveFailures, failuresInARow: 0 };
  const changed = (state: BreakerState): void => {
    entry.failuresInARow = 0;
    notify({ ...owner, state });
  };
  breaker.on('open', () => changed('open'));
  breaker.on('halfOpen', () => changed('half-open'));
  breaker.on('close', () => {
    if (!neutralTrial) return changed('closed');
    neutralTrial = false;
    breaker.open();
  });
  return entry;
}
