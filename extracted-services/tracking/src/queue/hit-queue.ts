/**
 * The durable queue of phase-2 messages (docs/mautic/public-http.md §2.8, Mautic's
 * asynchronous `hit` transport): a Redis Stream read by a consumer group (worker.ts).
 * On the request path Redis never holds a request up: no offline queue and a short
 * command timeout, so an unreachable Redis is a failed `enqueue` and the caller runs
 * phase 2 inline.
 */
import { activeTraceparent } from '../../../service-kit/tracing.ts';
import { Redis } from 'ioredis';
import type { HitCompletion } from '../domain/page-hit.ts';
import { encodeHitMessage, encodeViewMessage } from './hit-message.ts';
import type { PageViewMessage } from './hit-message.ts';

/** Stream names and the group, shared by the service and the worker. */
export const HIT_STREAM = 'strangler:tracking:hits';
export const DEAD_HIT_STREAM = 'strangler:tracking:hits:dead';
export const HIT_GROUP = 'tracking-workers';

/** Where phase-2 messages go. */
export interface HitQueue {
  /** Adds one message; false when it could not be kept (the caller runs phase 2 inline). */
  enqueue(hit: HitCompletion): Promise<boolean>;
  /** Fast mode: adds a whole page view; false when it could not be kept. */
  enqueueView(view: PageViewMessage): Promise<boolean>;
  /** Resolves once the queue can take messages, or after `timeoutMs` (it then refuses them until Redis answers). */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Options of `redisHitQueue`. */
export interface RedisHitQueueOptions {
  /** Per-command timeout on the request path, in ms. Default 200. */
  commandTimeoutMs?: number;
  /** Stream name; default HIT_STREAM (tests use their own). */
  stream?: string;
}

/**
 * A queue on the Redis at `url`.
 *
 * @example
 * const queue = redisHitQueue(process.env.REDIS_URL!);
 */
export function redisHitQueue(url: string, options: RedisHitQueueOptions = {}): HitQueue {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 200,
    maxRetriesPerRequest: 0,
    lazyConnect: false,
  });
  const stream = options.stream ?? HIT_STREAM;
  const add = async (field: 'hit' | 'view', text: string): Promise<boolean> => {
    try {
      // The request's trace context rides along, so the worker's phase 2 joins the hit's trace.
      const traceparent = activeTraceparent();
      const added = traceparent === undefined ? await redis.xadd(stream, '*', field, text) : await redis.xadd(stream, '*', field, text, 'traceparent', traceparent);
      return added !== null;
    } catch {
      return false;
    }
  };
  // Connection errors surface as failed enqueues; the event only needs a listener.
  redis.on('error', () => {});
  return {
    enqueue: (hit) => add('hit', encodeHitMessage(hit)),
    enqueueView: (view) => add('view', encodeViewMessage(view)),
    ready(timeoutMs = 2_000) {
      if (redis.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}
