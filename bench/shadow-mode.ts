/**
 * Shadow mode's cost to the primary path (docs/architecture.md §10: "the primary path's p99
 * within 10 % of legacy mode even when the shadow target takes 2 s"). One gateway process
 * (from dist/) in front of the bare Node server as legacy, and a tracking upstream that holds
 * every request 2 s before it answers the GIF with `X-Strangler-Dry-Run: 1`. `tracking.pixel`
 * flips between legacy and shadow through the admin API, round after round, and each round is
 * an open loop at a fixed rate (open-loop-child.ts, its own process): the pixel's p99 in shadow
 * mode ÷ its p99 in legacy mode, medians over the rounds. The copies meanwhile wait out their
 * deadline or find the cap full; the gateway's comparison counters say how many of each.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildGateway, startGatewayProcess } from './gateway.ts';
import { startNodeUpstream } from './node-upstream.ts';
import type { OpenLoopOptions, OpenLoopResult } from './open-loop.ts';
import { freePort, installCleanup, stopChild } from './processes.ts';
import type { ResultRow } from './report.ts';
import { TRACKING_GIF, TRACKING_GIF_HEADERS } from './tracking-gif.ts';

const run = promisify(execFile);
const ROUTE_ID = 'tracking.pixel';
const PATH = '/mtracking.gif?page_url=https%3A%2F%2Fexample.com%2Fpricing&page_title=Pricing';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
/** How long the shadow target holds each request (the target's "takes 2 s"). */
export const SHADOW_TARGET_DELAY_MS = 2_000;

/** Load and lengths of the measure. */
export interface ShadowModeSettings {
  /** Requests per second of the open loop (§10's latency rows use 1,000). */
  readonly rate: number;
  /** Warm-up in legacy mode before the first round, in s. */
  readonly warmupS: number;
  /** Length of each measured run, in s. */
  readonly durationS: number;
  /** Rounds; each measures both modes, legacy first in even rounds and shadow first in odd ones. */
  readonly rounds: number;
}

/** The bench's defaults. */
/**
 * The bench's defaults. Nine rounds: a p99 of 5,000 requests moves by ±50 % from one round to the
 * next on this machine (bench/README.md), and the median of five rounds could not tell 10 % apart.
 */
export const SHADOW_MODE_DEFAULTS: ShadowModeSettings = { rate: 1_000, warmupS: 8, durationS: 5, rounds: 9 };

/** What the measure found, or why it could not run. */
export type ShadowModeMeasure =
  | {
    readonly legacy: readonly OpenLoopResult[];
    readonly shadow: readonly OpenLoopResult[];
    /** The pixel's comparison counters at the end (GET /admin/comparisons). */
    readonly skipped: Readonly<Record<string, number>>;
    readonly compared: number;
    /** The gateway's event-loop delay over each round (its /metrics), p99 and max in ms: whether the tail is the gateway's own work. */
    readonly loopDelay?: { readonly legacy: readonly LoopDelay[]; readonly shadow: readonly LoopDelay[] };
  }
  | { readonly missing: string };

/** A tracking upstream that answers every request after `delayMs`. */
async function startSlowTarget(port: number, delayMs: number): Promise<Server> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    const t = setTimeout(() => {
      timers.delete(t);
      if (!res.destroyed) res.writeHead(200, { ...TRACKING_GIF_HEADERS, 'x-strangler-dry-run': '1' }).end(TRACKING_GIF);
    }, delayMs);
    timers.add(t);
  });
  server.on('close', () => timers.forEach((t) => clearTimeout(t)));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** The event loop's delay over one round, ms. */
export interface LoopDelay {
  readonly p99: number;
  readonly max: number;
}

/** The gateway's event-loop delay since the last scrape (prom-client's default metrics restart it at every scrape). */
async function loopDelay(admin: string): Promise<LoopDelay> {
  const text = await (await fetch(`${admin}/metrics`)).text();
  const read = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
  return { p99: read('nodejs_eventloop_lag_p99_seconds'), max: read('nodejs_eventloop_lag_max_seconds') };
}

async function openLoop(url: string, rate: number, durationS: number, warmupS: number): Promise<OpenLoopResult> {
  const opts: OpenLoopOptions = { url, rate, durationMs: durationS * 1000, warmupMs: warmupS * 1000 };
  const { stdout } = await run(process.execPath, [join(process.cwd(), 'bench', 'open-loop-child.ts'), JSON.stringify(opts)], { timeout: (durationS + warmupS + 30) * 1000, killSignal: 'SIGKILL' });
  return JSON.parse(stdout) as OpenLoopResult;
}

/**
 * Runs the measure with its own gateway process (from dist/: build it first), the bare Node
 * server and the slow target; everything it starts is stopped when it ends.
 */
export async function measureShadowMode(settings: ShadowModeSettings = SHADOW_MODE_DEFAULTS): Promise<ShadowModeMeasure> {
  const [legacyPort, trackingPort] = [await freePort(), await freePort()];
  const started: ChildProcess[] = [await startNodeUpstream(legacyPort)];
  const target = await startSlowTarget(trackingPort, SHADOW_TARGET_DELAY_MS);
  try {
    const gateway = await startGatewayProcess(`http://127.0.0.1:${legacyPort}`, { TRACKING_URL: `http://127.0.0.1:${trackingPort}`, ADMIN_TOKEN });
    if ('missing' in gateway) return { missing: gateway.missing };
    started.push(gateway.child);
    const admin = `http://127.0.0.1:${gateway.adminPort}`;
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const setMode = async (mode: 'legacy' | 'shadow'): Promise<void> => {
      const res = await fetch(`${admin}/admin/flags/${ROUTE_ID}`, { method: 'PUT', headers, body: JSON.stringify({ mode, why: 'bench: shadow mode' }) });
      if (res.status !== 200) throw new Error(`could not set ${ROUTE_ID} to ${mode}: ${res.status} ${await res.text()}`);
    };
    const url = `http://127.0.0.1:${gateway.port}${PATH}`;
    console.log(`shadow mode: warm-up ${settings.warmupS} s, then ${settings.rounds} rounds of legacy and shadow, ${settings.durationS} s each at ${settings.rate} req/s`);
    await openLoop(url, settings.rate, 0, settings.warmupS);
    const legacy: OpenLoopResult[] = [];
    const shadow: OpenLoopResult[] = [];
    const delays: { legacy: LoopDelay[]; shadow: LoopDelay[] } = { legacy: [], shadow: [] };
    for (let round = 0; round < settings.rounds; round += 1) {
      // Each mode goes first as often as the other, so the copies a shadow round still holds at its
      // end weigh on the next round of either mode, not on legacy's alone.
      const order = [['legacy', legacy], ['shadow', shadow]] as const;
      for (const [mode, results] of round % 2 === 0 ? order : [order[1], order[0]]) {
        await setMode(mode);
        await loopDelay(admin);
        results.push(await openLoop(url, settings.rate, settings.durationS, 1));
        delays[mode].push(await loopDelay(admin));
      }
    }
    const counters = (await (await fetch(`${admin}/admin/comparisons`, { headers })).json()) as { routes: Record<string, { compared: number; skipped: Record<string, number> }> };
    const pixel = counters.routes[ROUTE_ID];
    return { legacy, shadow, skipped: pixel?.skipped ?? {}, compared: pixel?.compared ?? 0, loopDelay: delays };
  } finally {
    for (const child of started.reverse()) await stopChild(child);
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};
const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The row of the results table (kind `target`: docs/architecture.md §10). */
export function shadowModeRow(m: ShadowModeMeasure): ResultRow {
  const measure = 'shadow mode: primary p99, shadow target taking 2 s (ms)';
  if ('missing' in m) return { measure, value: 'not measured', anchor: '—', result: m.missing.slice(0, 80), target: '≤ 110 % of legacy mode', kind: 'target', pass: null };
  const shadowP99 = median(m.shadow.map((r) => r.latencyMs.p99));
  const legacyP99 = median(m.legacy.map((r) => r.latencyMs.p99));
  const ratio = shadowP99 / legacyP99;
  const clean = [...m.legacy, ...m.shadow].every((r) => r.errors === 0 && r.non2xx === 0);
  const skips = Object.entries(m.skipped).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
  const delays = (ds: readonly LoopDelay[]): string => ds.map((d) => `${fmt(d.p99, 1)}/${fmt(d.max, 1)}`).join(' ');
  const loop = m.loopDelay ? `; event-loop delay p99/max per round: shadow ${delays(m.loopDelay.shadow)}, legacy ${delays(m.loopDelay.legacy)} ms` : '';
  return {
    measure, value: fmt(shadowP99, 3), anchor: `legacy mode: ${fmt(legacyP99, 3)}`,
    result: `${fmt(ratio * 100, 1)} % of legacy mode (rounds: shadow ${m.shadow.map((r) => fmt(r.latencyMs.p99, 3)).join(' / ')}, legacy ${m.legacy.map((r) => fmt(r.latencyMs.p99, 3)).join(' / ')}; copies: ${m.compared} compared, skipped ${skips}${loop})`,
    target: '≤ 110 % of legacy mode', kind: 'target', pass: clean && ratio <= 1.1,
  };
}

if (process.argv[1] !== undefined && /bench[\\/]shadow-mode\.[jt]s$/.test(process.argv[1])) {
  installCleanup();
  const built = process.env.BENCH_NO_BUILD === '1' ? null : buildGateway();
  if (built !== null) {
    console.error(built);
    process.exitCode = 1;
  } else {
    const rate = Number(process.env.BENCH_RATE ?? SHADOW_MODE_DEFAULTS.rate);
    void measureShadowMode({ ...SHADOW_MODE_DEFAULTS, rate }).then(
      (m) => console.log(JSON.stringify(shadowModeRow(m), null, 2)),
      (err: unknown) => {
        console.error(err);
        process.exitCode = 1;
      },
    );
  }
}
