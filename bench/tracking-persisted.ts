/**
 * Tracking rows of issue #12 (docs/architecture.md §10), measured in one run on MariaDB:
 * - persisted hits/s of the tracking service in Mautic mode against the stand-in (both
 *   synchronous, like Mautic's default `sync://`), target ≥ 2×;
 * - the worker's drain rate into MariaDB, target ≥ 5,000 hits/s;
 * - fast mode's answer rate against a bare Node server that answers the same GIF and stores
 *   nothing (bench/node-upstream-child.ts), target ≥ 50 %, and the sustainable rate: the
 *   lower of that answer rate and the drain rate.
 * A persisted hit is a complete `page_hits` row counted in the database after each round,
 * not a 200. Each part runs as its container does (`node scripts/serve.ts <part>`).
 * `npm run bench` runs it as the `tracking` extra measure; `node bench/tracking-persisted.ts`
 * prints the rows alone (`… drain`, `… persisted` or `… fast`: only those).
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { freshDatabase } from './bench-database.ts';
import { ROOT, startPart } from './parts.ts';
import { freePort, installCleanup, startChild, stopChild, waitForPort } from './processes.ts';
import type { ResultRow } from './report.ts';
import { medianRound } from './stats.ts';

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** One measured row. */
export interface TrackingRow {
  name: string;
  value: number;
  unit: string;
  detail: string;
}

/**
 * Starts the phase-2 worker (`node scripts/serve.ts worker`) on `stream` under the consumer name
 * `name` (kept across restarts, so a restarted worker takes back its own unacknowledged batch);
 * `reading` resolves when it says it reads the stream. Its stdout is read to the end: a pipe left
 * full would block its next log line.
 */
export function startWorker(databaseUrl: string, stream: string, name: string): { child: ChildProcess; reading: Promise<void> } {
  const child = startChild(process.execPath, ['scripts/serve.ts', 'worker'], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL, TRACKING_HIT_STREAM: stream, TRACKING_WORKER_NAME: name, WORKER_QUEUES: 'tracking' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const reading = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (seen.length < 4096) seen += chunk.toString();
      if (seen.includes('worker reading')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`the worker exited (${code ?? signal}) before reading the stream`)));
  });
  return { child, reading };
}

/** Closed-loop load of new visitors' pixels for `seconds`; returns the 200s. */
export async function pixelLoad(url: string, seconds: number, connections = 16): Promise<number> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const until = Date.now() + seconds * 1000;
  let ok = 0;
  let n = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < until) {
      n += 1;
      const res = await pool.request({ method: 'GET', path: `/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F${n}`, headers: { 'user-agent': BROWSER } });
      await res.body.dump();
      if (res.statusCode === 200) ok += 1;
    }
  }));
  await pool.close();
  return ok;
}

/** One part's persisted rate: its median round, every round, and the totals. */
export interface PersistedRate {
  rate: number;
  rates: number[];
  ok: number;
  rows: number;
}

/**
 * The stand-in's and the service's persisted hits/s. Both run at once, each over a fresh
 * database of its own, and are loaded in turn for `seconds` per round (stand-in, service,
 * stand-in, service…): the stand-in's rate follows MariaDB's commit flushes, which other work
 * on the machine moves by 2–4× from one minute to the next (bench/README.md "What is known"),
 * so interleaved rounds give both the same moments, and each part's figure is its median round.
 */
export async function persistedRates(seconds = 3, rounds = 5): Promise<{ standin: PersistedRate; service: PersistedRate }> {
  const parts: { db: Awaited<ReturnType<typeof freshDatabase>>; target: Awaited<ReturnType<typeof startPart>>; migrator?: Awaited<ReturnType<typeof startPart>>; result: PersistedRate }[] = [];
  try {
    for (const part of ['legacy-standin', 'tracking'] as const) {
      const db = await freshDatabase();
      // The stand-in migrates the fresh database; the tracking service never alters a MySQL database.
      const migrator = await startPart('legacy-standin', db.url);
      const target = part === 'tracking' ? await startPart('tracking', db.url) : migrator;
      parts.push({ db, target, migrator: target === migrator ? undefined : migrator, result: { rate: 0, rates: [], ok: 0, rows: 0 } });
    }
    for (const p of parts) await pixelLoad(p.target.url, 2);
    for (let round = 0; round < rounds; round += 1) {
      for (const p of parts) {
        const before = await p.db.completeHits();
        p.result.ok += await pixelLoad(p.target.url, seconds);
        const rows = (await p.db.completeHits()) - before;
        p.result.rows += rows;
        p.result.rates.push(rows / seconds);
      }
    }
  } finally {
    for (const p of parts) {
      await stopChild(p.target.child);
      if (p.migrator) await stopChild(p.migrator.child);
      await p.db.drop();
    }
  }
  for (const p of parts) p.result.rate = medianRound(p.result.rates);
  return { standin: parts[0]!.result, service: parts[1]!.result };
}

function persistedRows({ standin, service }: { standin: PersistedRate; service: PersistedRate }): TrackingRow[] {
  const detail = (p: PersistedRate) => `${p.rows} rows, ${p.ok} answers; rounds ${p.rates.map((r) => r.toFixed(0)).join(', ')}`;
  return [
    { name: 'stand-in persisted hits/s (MariaDB, sync)', value: standin.rate, unit: 'hits/s', detail: detail(standin) },
    { name: 'tracking service persisted hits/s (Mautic mode)', value: service.rate, unit: 'hits/s', detail: detail(service) },
    { name: 'tracking ÷ stand-in (target ≥ 2×)', value: service.rate / standin.rate, unit: '×', detail: '' },
  ];
}

export async function drainRate(hits: number): Promise<{ rate: number; seconds: number; startup: number }> {
  const db = await freshDatabase();
  // A stream of its own: another run on the same Redis must not drain or delete it.
  const stream = `strangler:bench:hits:${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL);
  const migrator = await startPart('legacy-standin', db.url);
  const service = await startPart('tracking', db.url, { REDIS_URL, TRACKING_HIT_STREAM: stream });
  try {
    while ((await redis.xlen(stream)) < hits) await pixelLoad(service.url, 1);
    const queued = await redis.xlen(stream);
    const spawned = process.hrtime.bigint();
    const worker = startWorker(db.url, stream, 'bench');
    // The clock starts when the worker says it reads the stream (worker-main.ts), not at the
    // spawn: the process's start-up (seconds on a loaded machine) is not draining.
    await worker.reading;
    const started = process.hrtime.bigint();
    // Polled, not awaited: the worker reports nothing to this process; 50 ms is the resolution.
    while ((await db.completeHits()) < queued) await new Promise((r) => setTimeout(r, 50));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await stopChild(worker.child);
    return { rate: queued / seconds, seconds, startup: Number(started - spawned) / 1e9 };
  } finally {
    await stopChild(service.child);
    await stopChild(migrator.child);
    await redis.del(stream, `${stream}:dead`);
    redis.disconnect();
    await db.drop();
  }
}

/**
 * Fast mode's answers per second against the bare Node server's, the same closed-loop load
 * of new visitors' pixels on each, one after the other after a warm-up of each. The anchor
 * answers the same GIF with Mautic's `Connection: close` (§2.6), as the service must, so both
 * pay a new connection per pixel; the same server with keep-alive is measured for context.
 * Fast mode queues on a stream of its own; nothing drains it (the drain is measured alone).
 */
export async function fastAnswerRate(seconds: number): Promise<{ fast: number; bare: number; bareKeepAlive: number }> {
  const db = await freshDatabase();
  const stream = `strangler:bench:fast:${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL);
  const migrator = await startPart('legacy-standin', db.url);
  const service = await startPart('tracking', db.url, { REDIS_URL, TRACKING_FAST_MODE: '1', TRACKING_HIT_STREAM: stream });
  const [closePort, keepPort] = [await freePort(), await freePort()];
  const bare = startChild(process.execPath, [join(ROOT, 'bench', 'node-upstream-child.ts'), String(closePort), 'close']);
  const keep = startChild(process.execPath, [join(ROOT, 'bench', 'node-upstream-child.ts'), String(keepPort)]);
  try {
    await waitForPort(closePort, 60_000);
    await waitForPort(keepPort, 60_000);
    const [bareUrl, keepUrl] = [`http://127.0.0.1:${closePort}`, `http://127.0.0.1:${keepPort}`];
    for (const url of [bareUrl, service.url, keepUrl]) await pixelLoad(url, 2);
    const bareOk = await pixelLoad(bareUrl, seconds);
    const fastOk = await pixelLoad(service.url, seconds);
    const keepOk = await pixelLoad(keepUrl, seconds);
    return { fast: fastOk / seconds, bare: bareOk / seconds, bareKeepAlive: keepOk / seconds };
  } finally {
    await stopChild(keep);
    await stopChild(bare);
    await stopChild(service.child);
    await stopChild(migrator.child);
    await redis.del(stream, `${stream}:dead`);
    redis.disconnect();
    await db.drop();
  }
}

/** Measures the rows. */
export async function measureTrackingRows(seconds = 8): Promise<TrackingRow[]> {
  const persisted = await persistedRates();
  const drain = await drainRate(5_000);
  const fast = await fastAnswerRate(seconds);
  return [
    ...persistedRows(persisted),
    { name: 'worker drain rate into MariaDB (target ≥ 5,000)', value: drain.rate, unit: 'hits/s', detail: `${drain.seconds.toFixed(2)} s after a start-up of ${drain.startup.toFixed(2)} s` },
    ...fastRows(fast),
  ];
}

function fastRows(fast: { fast: number; bare: number; bareKeepAlive: number }): TrackingRow[] {
  return [
    { name: 'fast mode answers/s (pixel, queued)', value: fast.fast, unit: 'answers/s', detail: '' },
    { name: 'bare Node server answers/s (same GIF, Connection: close)', value: fast.bare, unit: 'answers/s', detail: `the same server with keep-alive: ${fast.bareKeepAlive.toFixed(0)}/s` },
    { name: 'fast mode ÷ bare Node server (target ≥ 50 %)', value: (100 * fast.fast) / fast.bare, unit: '%', detail: '' },
  ];
}

/** The RESULTS.md rows: the two targets, then the raw rates as information; `null` with the reason when not measured. */
export function trackingResultRows(rows: readonly TrackingRow[] | null, reason = ''): ResultRow[] {
  const value = (i: number): number => rows?.[i]?.value ?? Number.NaN;
  const measured = rows !== null;
  const standin = value(0);
  const service = value(1);
  const ratio = value(2);
  const drain = value(3);
  const fast = value(4);
  const bare = value(5);
  const share = value(6);
  const missing = `not measured${reason ? `: ${reason}` : ''}`;
  return [
    {
      measure: 'tracking service persisted hits/s, Mautic mode (MariaDB)', value: measured ? service.toFixed(0) : 'not measured', anchor: `stand-in: ${measured ? standin.toFixed(0) : '—'}`,
      result: measured ? `${ratio.toFixed(2)}× the stand-in${rows?.[1]?.detail ? ` (median rounds; service: ${rows[1].detail}; stand-in: ${rows[0]?.detail ?? ''})` : ''}` : missing,
      target: '≥ 2×', kind: 'target', pass: measured ? ratio >= 2 : null,
    },
    {
      measure: 'tracking worker drain into MariaDB (hits/s)', value: measured ? drain.toFixed(0) : 'not measured', anchor: '—',
      result: measured ? `${drain.toFixed(0)} hits/s${rows?.[3]?.detail ? ` (${rows[3].detail})` : ''}` : missing, target: '≥ 5000 hits/s', kind: 'target', pass: measured ? drain >= 5000 : null,
    },
    {
      measure: 'tracking fast mode answers/s (pixel)', value: measured ? fast.toFixed(0) : 'not measured', anchor: `bare Node server: ${measured ? bare.toFixed(0) : '—'}`,
      result: measured ? `${share.toFixed(1)} % of the bare server${rows?.[5]?.detail ? `; ${rows[5].detail}` : ''}` : missing, target: '≥ 50 %', kind: 'target', pass: measured ? share >= 50 : null,
    },
    {
      measure: 'info: tracking sustainable rate (hits/s)', value: measured ? Math.min(fast, drain).toFixed(0) : 'not measured', anchor: '—',
      result: measured ? `the lower of fast mode's answers (${fast.toFixed(0)}/s) and the drain (${drain.toFixed(0)}/s)` : missing, target: '—', kind: 'info', pass: null,
    },
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  installCleanup();
  // `node bench/tracking-persisted.ts drain` (or `persisted`) measures one of the two rows alone.
  const only = process.argv[2];
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const measured = only === 'drain'
    ? drainRate(5_000).then((d): TrackingRow[] => [{ name: 'worker drain rate into MariaDB (target ≥ 5,000)', value: d.rate, unit: 'hits/s', detail: `${d.seconds.toFixed(2)} s after a start-up of ${d.startup.toFixed(2)} s` }])
    : only === 'persisted'
      ? persistedRates().then(persistedRows)
      : only === 'fast'
        ? fastAnswerRate(seconds).then(fastRows)
        : measureTrackingRows(seconds);
  void measured.then((rows) => {
    for (const r of rows) process.stdout.write(`${r.name.padEnd(52)} ${r.value.toFixed(2).padStart(10)} ${r.unit} ${r.detail}\n`);
    process.exit(0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
