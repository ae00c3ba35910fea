/**
 * The propagation row of `npm run bench` (docs/architecture.md §10: a flag
 * change applied by every replica, 3 replicas, p99 ≤ 100 ms): three gateway
 * processes, started as the container starts them, share a redis-server of
 * the benchmark's own. For each of at least 200 changes, made through the
 * first replica's admin API, it measures the time from the API's answer until
 * all three replicas' `/readyz` show the new version. `measurePropagation` is
 * for bench/run.ts to call after `npm run build`; run alone
 * (`node bench/propagation.ts`, after a build) it prints its row.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveCommand } from './gateway.ts';
import { freePort, installCleanup, startChild, stopChild, waitForPort } from './processes.ts';
import type { ResultRow } from './report.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** Options of `measurePropagation`. */
export interface PropagationOptions {
  /** Changes measured; the target needs at least 200. Default 200. */
  readonly changes?: number;
  /** The legacy upstream the replicas front (any URL; no request is proxied). Default an unused port. */
  readonly legacyUrl?: string;
}

/** What was measured, in ms from the admin API's answer. */
export interface PropagationResult {
  readonly changes: number;
  readonly latency: LatencySummary;
}

const TOKEN = 'bench-propagation-token-0123456789';
const REPLICAS = 3;

/** Starts a redis-server of the benchmark's own (no persistence) and returns its URL. */
async function startRedis(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = startChild('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  await waitForPort(port);
  return { child, url: `redis://127.0.0.1:${port}` };
}

/** Starts one replica with the `serve` command of package.json; resolves with its admin URL. */
async function startReplica(id: string, redisUrl: string, legacyUrl: string): Promise<{ child: ChildProcess; admin: string }> {
  const serve = serveCommand(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
  const [port, adminPort] = [await freePort(), await freePort()];
  const child = startChild(process.execPath, [...serve.args, 'gateway'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, ...serve.env, NODE_ENV: 'production', PORT: String(port), ADMIN_PORT: String(adminPort), LEGACY_URL: legacyUrl,
      ADMIN_TOKEN: TOKEN, REDIS_URL: redisUrl, STRANGLER_REPLICA_ID: id, LOG_LEVEL: 'warn',
    },
  });
  await waitForPort(adminPort, 20_000);
  return { child, admin: `http://127.0.0.1:${adminPort}` };
}

async function readyVersion(admin: string): Promise<number> {
  const res = await fetch(`${admin}/readyz`);
  return ((await res.json()) as { flags?: { version?: number } }).flags?.version ?? -1;
}

/** Resolves with the time (performance.now) at which `admin` first shows `version`. */
async function appliedAt(admin: string, version: number): Promise<number> {
  for (;;) {
    if ((await readyVersion(admin)) >= version) return performance.now();
  }
}

/** Makes one change through `admin` and measures until every replica in `admins` applied it. */
async function oneChange(admin: string, admins: readonly string[], i: number): Promise<number> {
  const res = await fetch(`${admin}/admin/routes/tracking.pixel/mode`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'canary', percent: (i % 100) + 1, reason: `bench change ${i}` }),
  });
  const answered = performance.now();
  if (res.status !== 200) throw new Error(`change ${i}: ${res.status} ${await res.text()}`);
  const { change } = (await res.json()) as { change: { version: number } };
  const times = await Promise.all(admins.map((a) => appliedAt(a, change.version)));
  return Math.max(0, ...times.map((t) => t - answered));
}

/**
 * Starts Redis and three replicas, makes `changes` changes one after another,
 * and stops everything it started.
 *
 * @throws when a replica does not start or a change is refused.
 */
export async function measurePropagation(options: PropagationOptions = {}): Promise<PropagationResult> {
  const changes = options.changes ?? 200;
  const dir = mkdtempSync(join(tmpdir(), 'strangler-bench-redis-'));
  const started: ChildProcess[] = [];
  try {
    const redis = await startRedis(dir);
    started.push(redis.child);
    const legacyUrl = options.legacyUrl ?? `http://127.0.0.1:${await freePort()}`;
    const replicas = await Promise.all(Array.from({ length: REPLICAS }, (_, i) => startReplica(`bench-${i + 1}`, redis.url, legacyUrl)));
    started.push(...replicas.map((r) => r.child));
    const admins = replicas.map((r) => r.admin);
    for (const a of admins) while ((await fetch(`${a}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    const samples: number[] = [];
    for (let i = 0; i < changes; i += 1) samples.push(await oneChange(admins[0] as string, admins, i));
    return { changes, latency: summarize(samples) };
  } finally {
    await Promise.all(started.map((c) => stopChild(c)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The RESULTS.md row: p99 from the admin answer until 3 replicas applied, against ≤ 100 ms over ≥ 200 changes. */
export function propagationRow(result: PropagationResult | null): ResultRow {
  const measure = `flag change applied by ${REPLICAS} replicas, p99`;
  if (result === null) return { measure, value: 'not measured', anchor: 'the admin API\'s answer', result: '—', target: '≤ 100 ms', kind: 'target', pass: null };
  const { p50, p99, max } = result.latency;
  return {
    measure, value: `${p99.toFixed(2)} ms`, anchor: 'the admin API\'s answer',
    result: `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(2)} ms over ${result.changes} changes`,
    target: '≤ 100 ms', kind: 'target', pass: result.changes >= 200 && p99 <= 100,
  };
}

if (process.argv[1] !== undefined && /bench[\\/]propagation\.[jt]s$/.test(process.argv[1])) {
  installCleanup();
  const changes = Number(process.env.BENCH_PROPAGATION_CHANGES ?? 200);
  void measurePropagation({ changes }).then(
    (r) => console.log(JSON.stringify(propagationRow(r), null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
