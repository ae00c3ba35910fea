/**
 * A new upstream that dies under load (issue #10 §1): `tracking.script` (`/mtc.js`)
 * extracted to a bare Node server, wrk's load through the gateway, then that
 * server killed (SIGKILL). A replayable route, so that no client may see an
 * error: the pixel is not replayable, and the requests in flight at the kill
 * rightly get their 502 (they may have been recorded). Two figures, both from
 * the same gateway process in the same run:
 *
 * - throughput through the fallback while the new upstream is dead, as a ratio
 *   of the healthy figure measured just before (target ≥ 50 %);
 * - the time from the kill to the breaker's opening, under that load: the
 *   first request the gateway records with reason `breaker-open` (its admin
 *   stats, polled every 20 ms; target ≤ 1 s).
 *
 * It runs after the passthrough measures (dist/ is built by then) as one entry of the
 * extra measures: `{ name: 'dead-upstream', measure: async () => deadUpstreamRows(await
 * measureDeadUpstream()), notMeasured: (reason) => deadUpstreamRows({ missing: reason }) }`.
 * Measured 2026-12-03 on the 2-core VM at load 10–18 (16 connections, 6 s runs, three runs):
 * 65 %, 85 % and 134 % of healthy (no errors; the machine's noise is larger than the cost),
 * breaker open after 291, 116 and 134 ms;
 * issue #10 measured about 1.7 % (100 of 6,000 req/s) and 9 s before this issue's changes.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess } from './gateway.ts';
import { startNodeUpstream } from './node-upstream.ts';
import { freePort, stopChild } from './processes.ts';
import type { ResultRow } from './report.ts';
import { runWrk, type WrkResult } from './wrk.ts';

const ROUTE_ID = 'tracking.script';
const PATH = '/mtc.js';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const OPEN_POLL_MS = 20;

/** Load and lengths of the measure. */
export interface DeadUpstreamSettings {
  /** wrk connections. */
  readonly connections: number;
  /** Warm-up through the healthy upstream, in s. */
  readonly warmupS: number;
  /** Length of the healthy run and of the dead one, in s. */
  readonly durationS: number;
}

/** The bench's defaults (bench/run.ts: 16 connections, 8 s warm-up, 6 s runs). */
export const DEAD_UPSTREAM_DEFAULTS: DeadUpstreamSettings = { connections: 16, warmupS: 8, durationS: 6 };

/** What the dead-upstream measure found, or why it could not run. */
export type DeadUpstreamMeasure =
  | {
    /** The pixel through the healthy tracking upstream. */
    readonly healthy: WrkResult;
    /** The same load right after the tracking upstream was killed: the fallback to legacy. */
    readonly dead: WrkResult;
    /** Kill → first `breaker-open` request, in ms (± the 20 ms poll). */
    readonly openMs: number;
  }
  | { readonly missing: string };

/**
 * Runs the measure with its own gateway process (from dist/: build it first)
 * and two bare Node servers (legacy, tracking); every process it starts is
 * stopped when it ends.
 */
export async function measureDeadUpstream(settings: DeadUpstreamSettings = DEAD_UPSTREAM_DEFAULTS): Promise<DeadUpstreamMeasure> {
  const [legacyPort, trackingPort] = [await freePort(), await freePort()];
  const started: ChildProcess[] = [await startNodeUpstream(legacyPort)];
  const tracking = await startNodeUpstream(trackingPort);
  started.push(tracking);
  // The guard would step the route back a few seconds into the outage (gateway/README.md § The
  // guard), and this row measures the fallback, so it is off here.
  const configDir = mkdtempSync(join(tmpdir(), 'strangler-bench-'));
  const configFile = join(configDir, 'gateway.json');
  writeFileSync(configFile, JSON.stringify({ guard: { enabled: false } }));
  try {
    const gateway = await startGatewayProcess(`http://127.0.0.1:${legacyPort}`, { TRACKING_URL: `http://127.0.0.1:${trackingPort}`, ADMIN_TOKEN, STRANGLER_CONFIG: configFile });
    if ('missing' in gateway) return { missing: gateway.missing };
    started.push(gateway.child);
    const admin = adminClient(gateway.adminPort);
    await admin.extract(ROUTE_ID);
    const url = `http://127.0.0.1:${gateway.port}${PATH}`;
    console.log(`dead upstream: warm-up (${settings.warmupS} s), then healthy and dead runs of ${settings.durationS} s`);
    await runWrk({ url, connections: settings.connections, durationS: settings.warmupS });
    const healthy = await runWrk({ url, connections: settings.connections, durationS: settings.durationS });
    const load = runWrk({ url, connections: settings.connections, durationS: settings.durationS + 1 });
    // One second into the load, so the kill lands on a gateway at full speed.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const killedAt = performance.now();
    tracking.kill('SIGKILL');
    const openMs = await admin.untilBreakerOpen(killedAt, settings.durationS * 1000);
    return { healthy, dead: await load, openMs };
  } finally {
    for (const child of started.reverse()) await stopChild(child);
    rmSync(configDir, { recursive: true, force: true });
  }
}

function adminClient(port: number): { extract(routeId: string): Promise<void>; untilBreakerOpen(since: number, withinMs: number): Promise<number> } {
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  return {
    async extract(routeId) {
      const res = await fetch(`${base}/admin/flags/${routeId}`, { method: 'PUT', headers, body: JSON.stringify({ mode: 'extracted', why: 'bench: dead upstream' }) });
      if (res.status !== 200) throw new Error(`could not extract ${routeId}: ${res.status} ${await res.text()}`);
    },
    async untilBreakerOpen(since, withinMs) {
      while (performance.now() - since < withinMs) {
        const stats = (await (await fetch(`${base}/admin/stats`, { headers })).json()) as { fallbacks?: Record<string, number> };
        if ((stats.fallbacks?.['breaker-open'] ?? 0) > 0) return performance.now() - since;
        await new Promise((resolve) => setTimeout(resolve, OPEN_POLL_MS));
      }
      return Number.NaN;
    },
  };
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The two rows of the results table (kind `target`: docs/architecture.md §10 and issue #10). */
export function deadUpstreamRows(m: DeadUpstreamMeasure): ResultRow[] {
  if ('missing' in m) {
    return [
      { measure: 'throughput through fallback, new upstream dead (req/s)', value: 'not measured', anchor: '—', result: m.missing.slice(0, 80), target: '≥ 50 % of healthy', kind: 'target', pass: null },
      { measure: 'time to open the breaker under load (ms)', value: 'not measured', anchor: '—', result: '—', target: '≤ 1000 ms', kind: 'target', pass: null },
    ];
  }
  const ratio = m.dead.requestsPerSec / m.healthy.requestsPerSec;
  // A fallback that answered errors would be fast for the wrong reason.
  const clean = m.dead.non2xx === 0 && m.dead.socketErrors === 0 && m.healthy.non2xx === 0 && m.healthy.socketErrors === 0;
  return [
    {
      measure: 'throughput through fallback, new upstream dead (req/s)', value: fmt(m.dead.requestsPerSec), anchor: `healthy new upstream: ${fmt(m.healthy.requestsPerSec)}`,
      result: `${fmt(ratio * 100, 1)} % of healthy${clean ? '' : `; errors: ${m.dead.non2xx} non-2xx, ${m.dead.socketErrors} socket`}`,
      target: '≥ 50 % of healthy', kind: 'target', pass: ratio >= 0.5 && clean,
    },
    {
      measure: 'time to open the breaker under load (ms)', value: fmt(m.openMs), anchor: `kill under ${fmt(m.healthy.requestsPerSec)} req/s`,
      result: Number.isFinite(m.openMs) ? `${fmt(m.openMs)} ms` : 'never opened', target: '≤ 1000 ms', kind: 'target', pass: Number.isFinite(m.openMs) && m.openMs <= 1000,
    },
  ];
}
