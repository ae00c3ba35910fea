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
 */
import CircuitBreaker from 'opossum';
import { isUpstreamFault } from './upstream-error.ts';
import { resolveBreakerOptions } from './breaker-options.ts';
import type { BreakerOptions } from './breaker-options.ts';

export type { BreakerOptions } from './breaker-options.ts';

/** State of one breaker, as metrics and the dashboard show it. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Emitted when a breaker changes state. */
export interface BreakerStateChange {
  readonly upstream: string;
  readonly tenant: string;
  readonly state: BreakerState;
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

/** The breakers of one gateway process. */
export interface Breakers {
  /** The breaker of (upstream, tenant), created on first use. */
  get(upstream: string, tenant: string): CircuitBreaker<[Call], HasStatus>;
  /**
   * Runs `call` (one upstream request) through the breaker of (upstream, tenant).
   *
   * @example
   * const run = await breakers.run('forms', tenant, () => forms.request(req));
   * if (run.outcome === 'rejected') { ...fall back to legacy, reason 'breaker-open'... }
   */
  run<T extends HasStatus>(upstream: string, tenant: string, call: () => Promise<T>): Promise<BreakerRun<T>>;
  /** True while the breaker is open (not half-open); false for one never used. */
  isOpen(upstream: string, tenant: string): boolean;
  state(upstream: string, tenant: string): BreakerState;
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

/**
 * Creates the breaker registry. Throws GW_ERR_CONFIG_INVALID on bad options.
 *
 * @example
 * const breakers = createBreakers({ errorThresholdPercentage: 50, resetTimeoutMs: 5000 });
 * breakers.onStateChange(({ upstream, tenant, state }) => metrics.breakerState.set({ upstream, tenant }, ...));
 */
export function createBreakers(opts: BreakerOptions = {}): Breakers {
  const resolved = resolveBreakerOptions(opts);
  const breakers = new Map<string, CircuitBreaker<[Call], HasStatus>>();
  const listeners = new Set<(change: BreakerStateChange) => void>();
  const notify = (change: BreakerStateChange): void => listeners.forEach((listener) => listener(change));
  let shut = false;

  function get(upstream: string, tenant: string): CircuitBreaker<[Call], HasStatus> {
    const key = `${upstream}\u0000${tenant}`;
    let breaker = breakers.get(key);
    if (!breaker) {
      // Set while opossum closes the breaker on a neutral half-open trial, which is re-opened at once.
      let neutralTrial = false;
      const created: CircuitBreaker<[Call], HasStatus> = new CircuitBreaker(callThroughStatus, {
        name: `${upstream}/${tenant}`,
        timeout: false,
        errorThresholdPercentage: resolved.errorThresholdPercentage,
        resetTimeout: resolved.resetTimeoutMs,
        volumeThreshold: resolved.volumeThreshold,
        rollingCountTimeout: resolved.rollingCountTimeoutMs,
        rollingCountBuckets: resolved.rollingCountBuckets,
        errorFilter: (err: unknown) => {
          const neutral = !countsAsFailure(err);
          // opossum calls this just before it emits 'success', which closes a half-open breaker.
          if (neutral && created.halfOpen) neutralTrial = true;
          return neutral;
        },
      });
      created.on('open', () => notify({ upstream, tenant, state: 'open' }));
      created.on('halfOpen', () => notify({ upstream, tenant, state: 'half-open' }));
      created.on('close', () => {
        if (!neutralTrial) return notify({ upstream, tenant, state: 'closed' });
        neutralTrial = false;
        created.open();
      });
      breakers.set(key, created);
      breaker = created;
    }
    return breaker;
  }

  async function run<T extends HasStatus>(upstream: string, tenant: string, call: () => Promise<T>): Promise<BreakerRun<T>> {
    if (shut) return { outcome: 'failed', error: Object.assign(new Error('breakers are shut down'), { code: 'ESHUTDOWN' }) };
    try {
      return { outcome: 'response', value: (await get(upstream, tenant).fire(call)) as T };
    } catch (err) {
      if (err instanceof ServerErrorStatus) return { outcome: 'response', value: err.response as T };
      if ((err as { code?: unknown }).code === 'EOPENBREAKER') return { outcome: 'rejected' };
      return { outcome: 'failed', error: err };
    }
  }

  function state(upstream: string, tenant: string): BreakerState {
    const breaker = breakers.get(`${upstream}\u0000${tenant}`);
    if (breaker?.opened) return 'open';
    return breaker?.halfOpen ? 'half-open' : 'closed';
  }

  return {
    get,
    run,
    isOpen: (upstream, tenant) => state(upstream, tenant) === 'open',
    state,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    shutdown() {
      shut = true;
      breakers.forEach((breaker) => breaker.shutdown());
      listeners.clear();
    },
  };
}
