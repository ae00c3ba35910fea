/**
 * The restart row of issue #12: "the service and the worker are killed and restarted under
 * load. Afterwards the `page_hits` rows equal the 200 answers that the clients got."
 *
 * The tracking service in Mautic mode with REDIS_URL (phase 1 in the request, phase 2 queued to
 * the worker) and the worker run as their containers do, on a fresh MariaDB database and a
 * stream of their own. Closed-loop clients send new visitors' pixels; after `seconds` both
 * processes get SIGKILL at once and are started again (the service on the same port, the worker
 * under the same consumer name); the clients keep going, retrying after a connection error and
 * counting only 200s, for `seconds` after the service listens again. Then the queue drains,
 * and the rows are counted: `page_hits` (all, and complete: phase 2 applied), `leads` and
 * `lead_event_log` (one contact and one `created_contact` entry per new visitor).
 * The verdict: every row complete, and as many rows as 200 answers.
 *
 * `npm run bench` runs it as the extra measure `tracking-restart`; alone:
 * `npx node bench/tracking-restart.ts` (`BENCH_SECONDS`, default 4, before and after the kill).
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { freePort, installCleanup, stopChild } from './processes.ts';
import type { ResultRow } from './report.ts';
import { freshDatabase } from './bench-database.ts';
import { startPart } from './parts.ts';
import { BROWSER, REDIS_URL, startWorker } from './tracking-persisted.ts';

/** The worker's consumer group (extracted-services/tracking/README.md, Phase 2 and the worker). */
const GROUP = 'tracking-workers';
const WORKER_NAME = 'bench-restart';

/** What the clients got. */
export interface RestartLoadCounts {
  /** 200 answers. */
  ok: number;
  /** Answers with another status, by status. */
  otherStatuses: Record<number, number>;
  /** Requests whose connection was cut (by the kill, mid-request). */
  cut: number;
  /** Connections refused while the service was down. */
  refused: number;
}

/** The load's counts, and which requests (by their number in the page URL) were answered 200 or cut. */
export interface RestartLoad extends RestartLoadCounts {
  okIds: Set<number>;
  cutIds: Set<number>;
}

/** The `page_hits` rows set against the requests that wrote them. */
export interface HitReconciliation {
  /** 200 answers without a row. */
  missing: number;
  /** Requests with more than one row. */
  duplicated: number;
  /** Rows of requests cut by the kill: the kill came after their commit, before their answer. */
  fromCut: number;
  /** Rows of no request that was answered 200 or cut (a refused request, a 500, none at all). */
  unexplained: number;
}

/** One run of the restart measure. */
export interface RestartMeasure extends RestartLoadCounts, HitReconciliation {
  /** `page_hits` rows. */
  rows: number;
  /** Of those, rows whose phase 2 ran (`lead_id` set). */
  complete: number;
  /** `leads` rows. */
  contacts: number;
  /** `lead_event_log` rows. */
  events: number;
  /** Messages in the dead-letter stream. */
  dead: number;
  /**
   * Phase-2 messages whose hit has no row: queued by a request cut by the kill before its
   * COMMIT, dropped by the worker as orphans (extracted-services/tracking/README.md).
   */
  orphans: number;
  /** Messages the worker had read and not acknowledged when it was killed (its batch in hand). */
  inHandAtKill: number;
  /** From the kill until the restarted service listened, in ms. */
  downMs: number;
  /** From the end of the load until the queue was drained, in s. */
  drainSeconds: number;
}

const PAGE = 'https://shop.test/restart/';

/** A request-failure code of undici or the socket: refused (nothing listens) or cut (anything else). */
function failureKind(err: unknown): 'refused' | 'cut' {
  const code = (err as { code?: string; cause?: { code?: string } }).code;
  const cause = (err as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' || cause === 'ECONNREFUSED' ? 'refused' : 'cut';
}

/**
 * Closed-loop load of new visitors' pixels on `connections` clients until `stop()`, request n
 * for page `…/restart/n`: a client whose request fails waits 20 ms (the service may be down)
 * and goes on with a new visitor.
 */
export function restartLoad(url: string, connections = 16): { counts: RestartLoadCounts; stop(): Promise<RestartLoad> } {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const load: RestartLoad = { ok: 0, otherStatuses: {}, cut: 0, refused: 0, okIds: new Set(), cutIds: new Set() };
  let running = true;
  let n = 0;
  const clients = Promise.all(Array.from({ length: connections }, async () => {
    while (running) {
      n += 1;
      const id = n;
      try {
        const res = await pool.request({ method: 'GET', path: `/mtracking.gif?page_url=${encodeURIComponent(PAGE + id)}`, headers: { 'user-agent': BROWSER } });
        await res.body.dump();
        if (res.statusCode === 200) {
          load.ok += 1;
          load.okIds.add(id);
        } else load.otherStatuses[res.statusCode] = (load.otherStatuses[res.statusCode] ?? 0) + 1;
      } catch (err) {
        const kind = failureKind(err);
        load[kind] += 1;
        if (kind === 'cut') load.cutIds.add(id);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }));
  return {
    counts: load,
    async stop() {
      running = false;
      await clients;
      await pool.close();
      return load;
    },
  };
}

const REQUEST_ID = new RegExp(`"${PAGE.replaceAll('.', '\\.')}(\\d+)"`);

/**
 * Sets each `page_hits` row against the requests answered 200 (`okIds`) and cut (`cutIds`), by
 * the request's number in its `query` (phase 1 writes the query, PHP-serialised; `url` waits
 * for phase 2).
 */
export function reconcileHits(okIds: ReadonlySet<number>, cutIds: ReadonlySet<number>, queries: readonly (string | null)[]): HitReconciliation {
  const perRequest = new Map<number, number>();
  let unexplained = 0;
  for (const query of queries) {
    const id = Number(REQUEST_ID.exec(query ?? '')?.[1]);
    if (!okIds.has(id) && !cutIds.has(id)) unexplained += 1;
    else perRequest.set(id, (perRequest.get(id) ?? 0) + 1);
  }
  let missing = 0;
  for (const id of okIds) if (!perRequest.has(id)) missing += 1;
  let duplicated = 0;
  let fromCut = 0;
  for (const [id, n] of perRequest) {
    if (n > 1) duplicated += 1;
    if (cutIds.has(id)) fromCut += 1;
  }
  return { missing, duplicated, fromCut, unexplained };
}

/** Until the worker's group has been handed every entry of the stream and acknowledged them all. */
async function drained(redis: Redis, stream: string): Promise<boolean> {
  const [last] = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as [string, string[]][];
  const groups = (await redis.xinfo('GROUPS', stream)) as (string | number)[][];
  const group = groups.map((g) => Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]]))).find((g) => g.name === GROUP);
  return group !== undefined && Number(group.pending) === 0 && (last === undefined || group['last-delivered-id'] === last[0]);
}

/** Runs the measure (see the file header). */
export async function measureTrackingRestart(seconds = 4, connections = 16): Promise<RestartMeasure> {
  const db = await freshDatabase();
  const stream = `strangler:bench:restart:${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL);
  const env = { REDIS_URL, TRACKING_HIT_STREAM: stream };
  const port = await freePort();
  // The stand-in migrates the fresh database; the tracking service never alters a MySQL database.
  const migrator = await startPart('legacy-standin', db.url);
  let service = await startPart('tracking', db.url, env, port);
  let worker = startWorker(db.url, stream, WORKER_NAME);
  try {
    await worker.reading;
    const load = restartLoad(service.url, connections);
    await new Promise((r) => setTimeout(r, seconds * 1000));

    const killed = Date.now();
    const exits = [once(service.child, 'exit'), once(worker.child, 'exit')];
    service.child.kill('SIGKILL');
    worker.child.kill('SIGKILL');
    await Promise.all(exits);
    const [inHandAtKill] = (await redis.xpending(stream, GROUP)) as [number];
    worker = startWorker(db.url, stream, WORKER_NAME);
    service = await startPart('tracking', db.url, env, port);
    const downMs = Date.now() - killed;
    await worker.reading;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const { okIds, cutIds, ...counts } = await load.stop();

    const loadEnded = Date.now();
    const deadline = loadEnded + 120_000;
    while (!(await drained(redis, stream))) {
      if (Date.now() > deadline) throw new Error(`the queue did not drain within 120 s of the load's end (${await redis.xlen(stream)} entries)`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const drainSeconds = (Date.now() - loadEnded) / 1000;
    const queries = (await db.select<{ query: string | null }>('SELECT query FROM page_hits')).map((r) => r.query);
    const hitIds = new Set((await db.select<{ id: number }>('SELECT id FROM page_hits')).map((r) => Number(r.id)));
    const entries = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
    const orphans = entries.filter(([, f]) => f[0] === 'hit' && !hitIds.has(Number((JSON.parse(f[1]!) as { hitId: number }).hitId))).length;
    return {
      ...counts,
      ...reconcileHits(okIds, cutIds, queries),
      rows: queries.length,
      complete: await db.completeHits(),
      contacts: await db.count('leads'),
      events: await db.count('lead_event_log'),
      dead: await redis.xlen(`${stream}:dead`),
      orphans,
      inHandAtKill,
      downMs,
      drainSeconds,
    };
  } finally {
    await stopChild(worker.child);
    await stopChild(service.child);
    await stopChild(migrator.child);
    await redis.del(stream, `${stream}:dead`);
    redis.disconnect();
    await db.drop();
  }
}

/**
 * The results-table row. Pass: every 200 answer has its `page_hits` row, once; every row is
 * complete (phase 2 ran) and nothing was dead-lettered; and a row without a 200 comes only from
 * a request cut by the kill, which may have committed before the kill and never been answered.
 * So the rows equal the 200s, plus at most the requests cut after their commit, which the result
 * names. `m` null: not measured, with `reason`.
 */
export function trackingRestartRow(m: RestartMeasure | null, reason = ''): ResultRow {
  const measure = 'tracking service and worker SIGKILLed and restarted under load: page_hits rows against 200 answers';
  const target = 'each 200 once, complete; no other row but of a cut request';
  if (m === null) return { measure, value: 'not measured', anchor: '—', result: `not measured${reason ? `: ${reason}` : ''}`, target, kind: 'target', pass: null };
  const rowsOf = (n: number): string => `${n} row${n === 1 ? '' : 's'}`;
  const incomplete = m.rows - m.complete;
  const others = Object.entries(m.otherStatuses).map(([status, n]) => `${status} ×${n}`);
  const wrong = [
    m.missing > 0 ? `${m.missing} 200 answers without a row` : '',
    m.duplicated > 0 ? `${m.duplicated} requests with more than one row` : '',
    m.unexplained > 0 ? `${rowsOf(m.unexplained)} of no request answered 200 or cut` : '',
    incomplete > 0 ? `${rowsOf(incomplete)} never completed (phase 2 lost)` : '',
    m.dead > 0 ? `${m.dead} dead-lettered` : '',
  ].filter(Boolean);
  const equal = m.rows === m.ok ? 'rows = 200 answers' : `${m.rows - m.ok > 0 ? '+' : ''}${m.rows - m.ok} rows against the 200 answers`;
  const facts = [
    wrong.length === 0 ? 'each 200 once, every row complete' : wrong.join(', '),
    `${rowsOf(m.fromCut)} of requests cut by the kill after their commit`,
    `${m.orphans} phase-2 message${m.orphans === 1 ? '' : 's'} of requests cut before it (orphans)`,
    `contacts ${m.contacts}, created_contact events ${m.events}`,
    `requests cut by the kill ${m.cut}, refused while down ${m.refused}, other answers ${others.length > 0 ? others.join(', ') : 'none'}`,
    `worker's batch in hand at the kill ${m.inHandAtKill}`,
    `service down ${(m.downMs / 1000).toFixed(1)} s, queue drained ${m.drainSeconds.toFixed(1)} s after the load`,
  ];
  return {
    measure, value: `${m.rows} rows`, anchor: `200 answers: ${m.ok}`,
    result: `${equal}; ${facts.join('; ')}`, target, kind: 'target', pass: wrong.length === 0,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  installCleanup();
  void measureTrackingRestart(Number(process.env.BENCH_SECONDS ?? 4)).then((m) => {
    const row = trackingRestartRow(m);
    process.stdout.write(`${JSON.stringify(m)}\n${row.measure}\n  ${row.value} (${row.anchor}): ${row.result} → ${row.pass ? 'pass' : 'FAIL'}\n`);
    process.exit(0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
