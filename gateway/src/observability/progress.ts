/**
 * Migration progress (CONTEXT.md: Progress): per tenant and route and per UTC
 * day, how many requests there were, how many a new service answered, and how
 * many fell back to legacy. Counted in memory on the request path (one map
 * update); with Redis, each replica adds its counts to one hash per day every
 * few seconds, off the request path, so `GET /admin/progress` shows the whole
 * fleet. Days older than `keepDays` are dropped.
 */
import type { Redis } from 'ioredis';

/** The counts of one tenant × route on one day. */
export interface ProgressCounts {
  total: number;
  /** Answered by a new service (`tracking`, `forms`, `sending`). */
  answeredByNew: number;
  /** The new path failed and legacy answered (breaker open, connect error, replay). */
  fellBack: number;
}

/** One row of the history. */
export interface ProgressRow extends ProgressCounts {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly tenant: string;
  readonly route: string;
  /** answeredByNew / total, 0–1 (0 when total is 0). */
  readonly newShare: number;
}

/** Filter of `rows`. */
export interface ProgressQuery {
  readonly tenant?: string | undefined;
  readonly route?: string | undefined;
  /** Days back from today, today included. */
  readonly days: number;
}

/** Where the fleet's counts are kept when Redis is configured. */
export interface ProgressRedis {
  readonly client: Redis;
  /** Key prefix, e.g. `strangler:` → `strangler:progress:2026-12-03`. */
  readonly prefix: string;
}

const DAY_MS = 86_400_000;
/** Counts go to Redis this often. */
const FLUSH_EVERY_MS = 5_000;
const SEP = '\t';

/**
 * The UTC day of a time, `YYYY-MM-DD`.
 *
 * @example dayOf(Date.parse('2026-12-03T23:59:59Z')) // '2026-12-03'
 */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Per-day counts of the migration's progress. */
export class ProgressBook {
  readonly #keepDays: number;
  readonly #redis: ProgressRedis | null;
  readonly #now: () => number;
  /** day → `tenant\troute` → counts. */
  readonly #days = new Map<string, Map<string, ProgressCounts>>();
  /** What this replica counted since the last flush to Redis. */
  #unsent = new Map<string, Map<string, ProgressCounts>>();
  #timer: NodeJS.Timeout | null = null;
  /** Today's day and when it ends: the day string is made once a day, not per request. */
  #today = '';
  #todayEndsAt = 0;
  #flushing: Promise<void> | null = null;

  /**
   * @param keepDays - days of history kept (memory and Redis key expiry).
   * @param redis - the fleet's store; null: this replica's memory only.
   */
  constructor(keepDays: number, redis: ProgressRedis | null, now: () => number = Date.now) {
    this.#keepDays = keepDays;
    this.#redis = redis;
    this.#now = now;
    if (redis) this.#timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref();
  }

  /** Counts one request. */
  count(tenant: string, route: string, answeredByNew: boolean, fellBack: boolean): void {
    const now = this.#now();
    if (now >= this.#todayEndsAt || now < this.#todayEndsAt - DAY_MS) {
      this.#today = dayOf(now);
      this.#todayEndsAt = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
    }
    const day = this.#today;
    const key = `${tenant}${SEP}${route}`;
    add(this.#bucket(this.#days, day, key), answeredByNew, fellBack);
    if (this.#redis) add(this.#bucket(this.#unsent, day, key), answeredByNew, fellBack);
    if (this.#days.size > this.#keepDays) this.#dropOld();
  }

  /** The history, newest day first, then by tenant and route; from Redis when configured (the whole fleet). */
  async rows(query: ProgressQuery): Promise<ProgressRow[]> {
    const days = Array.from({ length: query.days }, (_, i) => dayOf(this.#now() - i * DAY_MS));
    const source = this.#redis ? await this.#readRedis(days) : this.#days;
    const rows: ProgressRow[] = [];
    for (const day of days) {
      const entries = [...(source.get(day) ?? new Map<string, ProgressCounts>())].sort(([a], [b]) => a.localeCompare(b));
      for (const [key, c] of entries) {
        const [tenant = '', route = ''] = key.split(SEP);
        if ((query.tenant && tenant !== query.tenant) || (query.route && route !== query.route)) continue;
        rows.push({ day, tenant, route, total: c.total, answeredByNew: c.answeredByNew, fellBack: c.fellBack, newShare: c.total === 0 ? 0 : c.answeredByNew / c.total });
      }
    }
    return rows;
  }

  /** Adds this replica's counts since the last flush to Redis; a failure keeps them for the next try. */
  flush(): Promise<void> {
    if (!this.#redis || this.#unsent.size === 0) return Promise.resolve();
    return (this.#flushing ??= this.#send(this.#redis).finally(() => void (this.#flushing = null)));
  }

  /** Stops the flush timer and sends what is left. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }

  async #send(redis: ProgressRedis): Promise<void> {
    const batch = this.#unsent;
    this.#unsent = new Map();
    const pipeline = redis.client.multi();
    for (const [day, counts] of batch) {
      const key = `${redis.prefix}progress:${day}`;
      for (const [field, c] of counts) {
        pipeline.hincrby(key, `${field}${SEP}total`, c.total);
        if (c.answeredByNew) pipeline.hincrby(key, `${field}${SEP}new`, c.answeredByNew);
        if (c.fellBack) pipeline.hincrby(key, `${field}${SEP}fallback`, c.fellBack);
      }
      pipeline.expire(key, Math.ceil((this.#keepDays * DAY_MS) / 1000) + 86_400);
    }
    try {
      await pipeline.exec();
    } catch {
      // Redis unreachable: the counts go back into the next flush.
      for (const [day, counts] of batch) for (const [key, c] of counts) merge(this.#bucket(this.#unsent, day, key), c);
    }
  }

  async #readRedis(days: readonly string[]): Promise<Map<string, Map<string, ProgressCounts>>> {
    const redis = this.#redis as ProgressRedis;
    await this.flush();
    const out = new Map<string, Map<string, ProgressCounts>>();
    const hashes = await Promise.all(days.map((day) => redis.client.hgetall(`${redis.prefix}progress:${day}`)));
    days.forEach((day, i) => {
      for (const [field, value] of Object.entries(hashes[i] ?? {})) {
        const cut = field.lastIndexOf(SEP);
        const c = this.#bucket(out, day, field.slice(0, cut));
        const kind = field.slice(cut + 1);
        const n = Number(value);
        if (kind === 'total') c.total += n;
        else if (kind === 'new') c.answeredByNew += n;
        else if (kind === 'fallback') c.fellBack += n;
      }
    });
    return out;
  }

  #bucket(days: Map<string, Map<string, ProgressCounts>>, day: string, key: string): ProgressCounts {
    let counts = days.get(day);
    if (counts === undefined) days.set(day, (counts = new Map()));
    let c = counts.get(key);
    if (c === undefined) counts.set(key, (c = { total: 0, answeredByNew: 0, fellBack: 0 }));
    return c;
  }

  #dropOld(): void {
    const oldest = dayOf(this.#now() - (this.#keepDays - 1) * DAY_MS);
    for (const day of this.#days.keys()) if (day < oldest) this.#days.delete(day);
  }
}

function add(c: ProgressCounts, answeredByNew: boolean, fellBack: boolean): void {
  c.total += 1;
  if (answeredByNew) c.answeredByNew += 1;
  if (fellBack) c.fellBack += 1;
}

function merge(into: ProgressCounts, c: ProgressCounts): void {
  into.total += c.total;
  into.answeredByNew += c.answeredByNew;
  into.fellBack += c.fellBack;
}
