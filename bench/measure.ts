/**
 * One measurement of one path (direct, nginx, gateway): closed-loop throughput
 * with wrk, or open-loop latency at a fixed rate, optionally sampling the RSS
 * of the process under test meanwhile.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OpenLoopOptions, OpenLoopResult } from './open-loop.ts';
import { sampleRss } from './processes.ts';
import { runWrk } from './wrk.ts';
import type { WrkResult } from './wrk.ts';

const run = promisify(execFile);

/** Settings shared by every measurement of one benchmark run. */
export interface BenchSettings {
  /** wrk connections. */
  readonly connections: number;
  /** Length of each wrk round and of each measured open-loop run, in s. */
  readonly durationS: number;
  /** Warm-up before each measurement, in s. */
  readonly warmupS: number;
  /** Interleaved wrk rounds per path (`measureThroughputRounds`); the median round counts. */
  readonly rounds: number;
  /** Open-loop rate in req/s. */
  readonly rate: number;
}

/** A path under test. */
export interface Target {
  readonly name: string;
  readonly url: string;
  /** Process whose RSS is sampled during the load, if any. */
  readonly pid?: number;
}

/** Throughput of one target, with its peak RSS in MiB when a pid was given. */
export interface ThroughputMeasure {
  /** The measured run; of several rounds, the one with the median req/s. */
  readonly wrk: WrkResult;
  readonly peakRssMiB: number;
  /** req/s of every round, in order, when there were several. */
  readonly roundsRps?: readonly number[];
}

/** Latency of one target at the fixed rate, with its peak RSS in MiB when a pid was given. */
export interface LatencyMeasure {
  readonly openLoop: OpenLoopResult;
  readonly peakRssMiB: number;
}

/**
 * Throughput of several paths measured in turns: each is warmed up, then every
 * round measures each path once, in the same order. On a shared machine whose
 * speed drifts, the paths of one round see the same machine, and the median
 * round of each path is not one lucky or unlucky moment.
 */
export async function measureThroughputRounds(targets: readonly Target[], settings: BenchSettings): Promise<ThroughputMeasure[]> {
  for (const target of targets) {
    console.log(`  warm-up: ${target.name} (${settings.warmupS} s, ${settings.connections} connections)`);
    await runWrk({ url: target.url, connections: settings.connections, durationS: settings.warmupS });
  }
  const runs = targets.map(() => [] as WrkResult[]);
  const peaks = targets.map(() => Number.NaN);
  for (let round = 1; round <= settings.rounds; round += 1) {
    console.log(`  throughput round ${round}/${settings.rounds}: ${targets.map((t) => t.name).join(', ')} (${settings.durationS} s each)`);
    for (const [i, target] of targets.entries()) {
      const rss = target.pid === undefined ? null : sampleRss(target.pid);
      runs[i]!.push(await runWrk({ url: target.url, connections: settings.connections, durationS: settings.durationS }));
      if (rss) peaks[i] = Math.max(rss.stop(), Number.isNaN(peaks[i]!) ? 0 : peaks[i]!);
    }
  }
  return runs.map((results, i) => ({ wrk: medianRun(results), peakRssMiB: peaks[i]!, roundsRps: results.map((r) => r.requestsPerSec) }));
}

/** The run with the median req/s (the lower middle one of an even count). */
export function medianRun(results: readonly WrkResult[]): WrkResult {
  const sorted = [...results].sort((a, b) => a.requestsPerSec - b.requestsPerSec);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('no wrk run to take the median of');
  return median;
}

/** An open-loop run at the fixed rate, in its own process. */
export async function measureLatency(target: Target, settings: BenchSettings): Promise<LatencyMeasure> {
  console.log(`  latency: ${target.name} (${settings.rate} req/s, warm-up ${settings.warmupS} s, then ${settings.durationS} s)`);
  const opts: OpenLoopOptions = {
    url: target.url, rate: settings.rate, durationMs: settings.durationS * 1000, warmupMs: settings.warmupS * 1000,
  };
  const rss = target.pid === undefined ? null : sampleRss(target.pid);
  const { stdout } = await run(process.execPath, [join(process.cwd(), 'bench', 'open-loop-child.ts'), JSON.stringify(opts)], {
    timeout: (settings.durationS + settings.warmupS + 30) * 1000, killSignal: 'SIGKILL',
  });
  return { openLoop: JSON.parse(stdout) as OpenLoopResult, peakRssMiB: rss ? rss.stop() : Number.NaN };
}
