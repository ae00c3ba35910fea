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
  /** Length of each wrk run and of each measured open-loop run, in s. */
  readonly durationS: number;
  /** Warm-up before each measurement, in s. */
  readonly warmupS: number;
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
  readonly wrk: WrkResult;
  readonly peakRssMiB: number;
}

/** Latency of one target at the fixed rate, with its peak RSS in MiB when a pid was given. */
export interface LatencyMeasure {
  readonly openLoop: OpenLoopResult;
  readonly peakRssMiB: number;
}

/** wrk warm-up, then a measured wrk run. */
export async function measureThroughput(target: Target, settings: BenchSettings): Promise<ThroughputMeasure> {
  console.log(`  throughput: ${target.name} (warm-up ${settings.warmupS} s, then ${settings.durationS} s, ${settings.connections} connections)`);
  await runWrk({ url: target.url, connections: settings.connections, durationS: settings.warmupS });
  const rss = target.pid === undefined ? null : sampleRss(target.pid);
  const wrk = await runWrk({ url: target.url, connections: settings.connections, durationS: settings.durationS });
  return { wrk, peakRssMiB: rss ? rss.stop() : Number.NaN };
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
