/**
 * An open-loop load generator: requests leave at a fixed rate whatever the
 * answers do (unlike wrk, which waits for each answer before sending the next),
 * so the latency at 1,000 req/s is the latency a steady 1,000 req/s sees.
 * Runs in its own process (open-loop-child.ts) so it does not share an event
 * loop with what it measures.
 */
import { Pool } from 'undici';
import { summarize } from './stats.ts';
import type { LatencySummary } from './stats.ts';

/** Options of one open-loop run. */
export interface OpenLoopOptions {
  /** Full URL, e.g. `http://127.0.0.1:8080/mtracking.gif`. */
  readonly url: string;
  /** Requests per second. */
  readonly rate: number;
  /** Measured part of the run, in ms. */
  readonly durationMs: number;
  /** Run before the measured part (JIT, pools, caches), in ms; not counted. */
  readonly warmupMs: number;
  /** Keep-alive connections the generator may open (default 64). */
  readonly connections?: number;
}

/** What one open-loop run measured. */
export interface OpenLoopResult {
  /** Latency from sending to the last body byte, in ms, of measured requests. */
  readonly latencyMs: LatencySummary;
  /** How late requests left against their schedule, in ms (generator quality). */
  readonly lateMs: LatencySummary;
  readonly sent: number;
  readonly errors: number;
  /** Responses with a status outside 2xx/3xx. */
  readonly non2xx: number;
  /** Measured requests per second actually sent. */
  readonly achievedRate: number;
}

/** Runs the schedule and waits for every answer (each request is bounded by a 10 s timeout). */
export async function runOpenLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(opts.url);
  const pool = new Pool(url.origin, { connections: opts.connections ?? 64, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const path = url.pathname + url.search;
  const intervalMs = 1000 / opts.rate;
  const total = Math.round(((opts.warmupMs + opts.durationMs) / 1000) * opts.rate);
  const warmup = Math.round((opts.warmupMs / 1000) * opts.rate);
  const latency: number[] = [];
  const late: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const inFlight: Array<Promise<void>> = [];

  const fire = (index: number, dueAt: number): void => {
    const sentAt = performance.now();
    const measured = index >= warmup;
    if (measured) late.push(sentAt - dueAt);
    inFlight.push(pool.request({ method: 'GET', path }).then(async (res) => {
      await res.body.dump({ limit: 1 << 20 });
      if (!measured) return;
      latency.push(performance.now() - sentAt);
      if (res.statusCode >= 400) non2xx += 1;
    }, () => {
      if (measured) errors += 1;
    }));
  };

  const start = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = (): void => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        fire(next, start + next * intervalMs);
        next += 1;
      }
      if (next >= total) return resolve();
      // Timers fire at 1 ms granularity at best; requests due meanwhile leave together.
      setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
    };
    tick();
  });
  const measuredStart = start + warmup * intervalMs;
  const achievedRate = ((total - warmup) / (performance.now() - measuredStart)) * 1000;
  await Promise.all(inFlight);
  await pool.close();
  return { latencyMs: summarize(latency), lateMs: summarize(late), sent: total - warmup, errors, non2xx, achievedRate };
}
