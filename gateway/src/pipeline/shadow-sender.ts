/**
 * Sends shadow copies (CONTEXT.md: Shadow; docs/architecture.md §3, §5): to the route's new
 * upstream, on a pool of their own, at most `shadow.maxInFlight` at once, each within
 * `shadow.deadlineMs`. The primary path never waits for a copy: `send` returns at once and
 * its promise never rejects; every copy that gives no answer to compare says why (a skip reason).
 *
 * A target whose copies miss their deadline gets fewer of them: its share of the cap halves
 * with each copy that times out, down to one copy in flight, and grows by one with each copy
 * answered in time, back up to the whole cap. A copy held to its deadline costs the gateway a
 * socket torn down and a new one (0.2–0.5 ms of its event loop each, bench/README.md), and a
 * service that cannot answer gains nothing from more copies; the copies it is not sent are
 * counted as `cap-full`.
 */
import { performance } from 'node:perf_hooks';
import { captureBody } from '../compare/capture.ts';
import type { CapturedResponse, SkipReason } from '../compare/types.ts';
import type { ShadowSettings, UpstreamSettings } from '../config/schema.ts';
import { Cancel } from '../upstream/cancel.ts';
import type { Upstream, UpstreamOptions, UpstreamRequest } from '../upstream/types.ts';
import { UpstreamError } from '../upstream/upstream-error.ts';

/** What a copy gave: the new upstream's answer, captured, or why there is none. */
export type ShadowResult =
  | { readonly kind: 'answer'; readonly captured: CapturedResponse; readonly latencyMs: number }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

/** One copy to send. */
export interface ShadowCopy {
  /** The new upstream's name (`tracking`, …) and the tenant's URL of it. */
  readonly upstream: string;
  readonly url: string;
  /** Method, request-target and headers (already marked `X-Strangler-Mode: shadow`); the buffered body. */
  readonly request: Omit<UpstreamRequest, 'cancel'>;
}

/** The shadow side of one process. */
export interface ShadowSender {
  /** Sends `copy` unless the cap is full; resolves at its last body byte, its deadline, or its failure. */
  send(copy: ShadowCopy): Promise<ShadowResult>;
  /** Copies in flight now. */
  inFlight(): number;
  /** Each target copies went to: its copies in flight and its share of the cap now. */
  targets(): ShadowTargetState[];
  /** Whether `send` would send a copy to `url` now rather than answer `cap-full`. */
  hasRoom(url: string): boolean;
  /** Ends every copy in flight (a dry run, so nothing is lost: each says `shadow-failed`) and closes every shadow pool (after the drain). */
  close(): Promise<void>;
}

/** Settings the sender reads. */
export interface ShadowSenderOptions {
  readonly settings: ShadowSettings;
  /** Bytes of the answer's body kept (`comparison.captureBodyBytes`); more marks it truncated. */
  readonly captureBodyBytes: number;
  /** The connect timeout of the new upstream (`upstreams.<name>.connectTimeoutMs`), bounded by the deadline. */
  readonly connectTimeoutMs: (upstream: string) => number;
  /** The client factory (`createUpstream`). */
  readonly create: (o: UpstreamOptions) => Upstream;
}

/** One target URL: its copies in flight, and how many it may have (its share of the cap). */
interface TargetShare {
  readonly upstream: string;
  inFlight: number;
  room: number;
}

/** A target as the admin API shows it. */
export interface ShadowTargetState {
  /** The new upstream's name (`tracking`, …) and the URL the copies go to. */
  readonly upstream: string;
  readonly url: string;
  readonly inFlight: number;
  /** Copies it may have in flight: `shadow.maxInFlight`, less after copies missed their deadline. */
  readonly share: number;
}

const CAP_FULL: ShadowResult = Object.freeze({ kind: 'skipped', reason: 'cap-full' });
const DEADLINE: ShadowResult = Object.freeze({ kind: 'skipped', reason: 'deadline-passed' });
const FAILED: ShadowResult = Object.freeze({ kind: 'skipped', reason: 'shadow-failed' });

/** A timeout of the exchange is the copy's deadline; anything else is a failed copy. */
function skipOf(err: unknown): ShadowResult {
  return err instanceof UpstreamError && (err.side === 'total-timeout' || err.side === 'headers-timeout') ? DEADLINE : FAILED;
}

/**
 * Creates the sender; pools open on the first copy to each URL.
 *
 * @example
 * const shadows = createShadowSender({ settings: config.shadow, captureBodyBytes: 262_144, connectTimeoutMs: () => 2_000, create: createUpstream });
 * const result = await shadows.send({ upstream: 'tracking', url: 'http://127.0.0.1:8101', request });
 */
export function createShadowSender(options: ShadowSenderOptions): ShadowSender {
  const { settings } = options;
  const pools = new Map<string, Upstream>();
  let inFlight = 0;
  const targets = new Map<string, TargetShare>();
  const targetOf = (upstream: string, url: string): TargetShare => {
    let target = targets.get(url);
    if (target === undefined) {
      target = { upstream, inFlight: 0, room: settings.maxInFlight };
      targets.set(url, target);
    }
    return target;
  };
  const hasRoom = (url: string): boolean => {
    if (inFlight >= settings.maxInFlight) return false;
    const target = targets.get(url);
    return target === undefined || target.inFlight < target.room;
  };
  const adapt = (target: TargetShare, result: ShadowResult): void => {
    if (result === DEADLINE) target.room = Math.max(1, Math.floor(target.room / 2));
    else if (result.kind === 'answer') target.room = Math.min(settings.maxInFlight, target.room + 1);
  };
  const cancels = new Set<Cancel>();
  const poolOf = (upstream: string, url: string): Upstream => {
    let pool = pools.get(url);
    if (pool === undefined) {
      const deadline = settings.deadlineMs;
      pool = options.create({
        name: `shadow:${upstream}`, url, connections: settings.connections, queueLimit: settings.maxInFlight,
        connectTimeoutMs: Math.min(options.connectTimeoutMs(upstream), deadline), headersTimeoutMs: deadline, totalTimeoutMs: deadline,
      });
      pools.set(url, pool);
    }
    return pool;
  };

  async function exchange(copy: ShadowCopy): Promise<ShadowResult> {
    const startedAt = performance.now();
    const cancel = new Cancel();
    cancels.add(cancel);
    try {
      const response = await poolOf(copy.upstream, copy.url).request({ ...copy.request, cancel });
      const capture = captureBody(response.statusCode, response.rawHeaders, options.captureBodyBytes);
      const failure = await new Promise<Error | undefined>((resolve) => {
        response.streamTo({
          write: (chunk) => capture.write(chunk),
          end: () => (capture.end(), resolve(undefined)),
          fail: (err) => (capture.fail(err), resolve(err)),
        });
      });
      const captured = capture.result();
      if (failure !== undefined || captured === undefined) return skipOf(failure);
      return { kind: 'answer', captured, latencyMs: performance.now() - startedAt };
    } catch (err) {
      return skipOf(err);
    } finally {
      cancels.delete(cancel);
    }
  }

  return {
    send(copy) {
      if (!hasRoom(copy.url)) return Promise.resolve(CAP_FULL);
      const target = targetOf(copy.upstream, copy.url);
      inFlight += 1;
      target.inFlight += 1;
      return exchange(copy).then((result) => {
        inFlight -= 1;
        target.inFlight -= 1;
        adapt(target, result);
        return result;
      });
    },
    inFlight: () => inFlight,
    targets: () => [...targets].map(([url, t]) => ({ upstream: t.upstream, url, inFlight: t.inFlight, share: t.room })),
    hasRoom,
    async close() {
      // A graceful pool close would wait for every held copy, up to its deadline.
      for (const cancel of cancels) cancel.cancel(new Error('the gateway is shutting down'));
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}

/** The connect timeout of a new upstream from the configuration. */
export function connectTimeoutOf(upstreams: Readonly<Record<string, UpstreamSettings>>): (upstream: string) => number {
  return (upstream) => upstreams[upstream]?.connectTimeoutMs ?? 2_000;
}
