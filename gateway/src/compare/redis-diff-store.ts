/**
 * The production diff store: one capped Redis stream per route
 * (`<prefix>route:<routeId>`, `XADD … MAXLEN`), and a set of the routes that
 * have records (`<prefix>routes`). On the shadow path, so a Redis outage or a
 * slow Redis never reaches the caller: the client queues nothing offline and
 * times commands out (`requestPathRedisOptions`), and a failed `add` drops the
 * record and counts it.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { GatewayError } from '../errors.ts';
import { diffRecordSchema, type DiffRecord, type StoredDiffRecord } from './diff-record.ts';
import { newestFirst, pageOf, type DiffQuery, type DiffStore, type DiffStoreOptions } from './diff-store.ts';

/** Settings of the Redis store. */
export interface RedisDiffStoreOptions extends DiffStoreOptions {
  /** A client made with `requestPathRedisOptions`; its owner connects and quits it. */
  readonly redis: Redis;
  /** Prefix of every key (`comparison.store.redisKeyPrefix`). */
  readonly keyPrefix: string;
}

/** The field of a stream entry that holds the record's JSON. */
const FIELD = 'record';
/** A stream entry id, `<ms>-<seq>`. */
const ENTRY_ID_RE = /^\d{1,20}-\d{1,20}$/;

type StreamEntry = [id: string, fields: string[]];

/**
 * ioredis options for a client used on a request path (docs/style.md, the stack): no
 * offline queue, so a command fails at once while Redis is away, and a command timeout.
 *
 * @example
 * const redis = new Redis(config.services.redisUrl, requestPathRedisOptions(config.comparison.store.redisCommandTimeoutMs));
 */
export function requestPathRedisOptions(commandTimeoutMs: number): RedisOptions {
  return { enableOfflineQueue: false, commandTimeout: commandTimeoutMs, maxRetriesPerRequest: 0 };
}

function unavailable(err: unknown): GatewayError {
  return new GatewayError('GW_ERR_DIFF_STORE_UNAVAILABLE', { params: { detail: err instanceof Error ? err.message : String(err) }, cause: err });
}

/** Order of a stream id within one `at`: the id's milliseconds, then its sequence. */
function orderOf(id: string): number {
  const [ms = '0', seq = '0'] = id.split('-');
  return Number(ms) * 1_000 + Number(seq);
}

/**
 * Creates the store over a connected (or connecting) client.
 *
 * @example
 * const store = createRedisDiffStore({ redis, keyPrefix: 'strangler:diffs:', maxRecordsPerRoute: 200, onError: logIt });
 */
export function createRedisDiffStore(options: RedisDiffStoreOptions): DiffStore {
  const { redis, keyPrefix } = options;
  const routesKey = `${keyPrefix}routes`;
  const streamKey = (routeId: string): string => `${keyPrefix}route:${routeId}`;
  let dropped = 0;

  /** Parses stream entries, skipping (and reporting) any that is not a valid record. */
  function parse(routeId: string, entries: readonly StreamEntry[]): { record: StoredDiffRecord; order: number }[] {
    const out: { record: StoredDiffRecord; order: number }[] = [];
    for (const [id, fields] of entries) {
      const at = fields.indexOf(FIELD);
      let parsed: ReturnType<typeof diffRecordSchema.safeParse> | undefined;
      try {
        parsed = at >= 0 && at % 2 === 0 ? diffRecordSchema.safeParse(JSON.parse(fields[at + 1] ?? '')) : undefined;
      } catch {
        parsed = undefined;
      }
      if (parsed?.success && parsed.data.routeId === routeId) out.push({ record: { ...parsed.data, id }, order: orderOf(id) });
      else {
        const detail = parsed?.success ? `it names route ${parsed.data.routeId}` : parsed ? parsed.error.issues[0]?.message ?? 'invalid' : `no JSON in field "${FIELD}"`;
        options.onError?.(new GatewayError('GW_ERR_DIFF_RECORD_INVALID', { params: { id, routeId, detail } }));
      }
    }
    return out;
  }

  async function newest(routeId: string, limit: number): Promise<{ record: StoredDiffRecord; order: number }[]> {
    const entries = (await redis.xrevrange(streamKey(routeId), '+', '-', 'COUNT', limit)) as StreamEntry[];
    return parse(routeId, entries);
  }

  return {
    async add(record: DiffRecord) {
      try {
        // Two commands, not MULTI: the route set only grows, so neither order nor atomicity matters.
        await Promise.all([
          redis.sadd(routesKey, record.routeId),
          redis.xadd(streamKey(record.routeId), 'MAXLEN', options.maxRecordsPerRoute, '*', FIELD, JSON.stringify(record)),
        ]);
      } catch (err) {
        dropped += 1;
        options.onError?.(unavailable(err));
      }
    },
    async list(query: DiffQuery) {
      // COUNT 0 would not bound XREVRANGE.
      if (!(query.limit >= 1)) return [];
      try {
        const routes = query.routeId !== undefined ? [query.routeId] : await redis.smembers(routesKey);
        // A tenant filter reads each route's whole stream: it is capped at maxRecordsPerRoute.
        const count = query.tenant === undefined ? Math.max(0, query.offset ?? 0) + query.limit : options.maxRecordsPerRoute;
        const perRoute = await Promise.all(routes.map((routeId) => newest(routeId, count)));
        return pageOf(perRoute.flat().sort(newestFirst), query);
      } catch (err) {
        throw unavailable(err);
      }
    },
    async get(routeId: string, id: string) {
      if (!ENTRY_ID_RE.test(id)) return undefined;
      try {
        const entries = (await redis.xrange(streamKey(routeId), id, id)) as StreamEntry[];
        return parse(routeId, entries)[0]?.record;
      } catch (err) {
        throw unavailable(err);
      }
    },
    dropped: () => dropped,
  };
}
