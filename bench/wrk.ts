/**
 * Runs wrk (closed loop: each connection sends its next request when the last
 * answer is in) and reads its report.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What one wrk run measured. */
export interface WrkResult {
  /** Completed requests per second over the run. */
  readonly requestsPerSec: number;
  readonly requests: number;
  /** Responses with a status outside 2xx/3xx. */
  readonly non2xx: number;
  /** Socket errors (connect, read, write, timeout) summed. */
  readonly socketErrors: number;
  /** Latency percentiles in ms, from wrk's --latency table. */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number };
}

/** Options of one wrk run. */
export interface WrkOptions {
  readonly url: string;
  /** Open connections. */
  readonly connections: number;
  /** Length of the run in seconds. */
  readonly durationS: number;
  /** wrk threads (default 1: the machine has two cores to share). */
  readonly threads?: number;
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(value: string, unit: string): number {
  return Number(value) * (UNIT_MS[unit] ?? Number.NaN);
}

/** Parses wrk's text report; throws when the report has no Requests/sec line. */
export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!rps) throw new Error(`wrk printed no Requests/sec line:\n${output}`);
  const latency = (pct: string): number => {
    const match = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
    return match ? toMs(match[1] as string, match[2] as string) : Number.NaN;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSec: Number(rps[1]),
    requests: Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    latencyMs: { p50: latency('50'), p90: latency('90'), p99: latency('99') },
  };
}

/** Runs wrk once and parses its report. Bounded: wrk stops after `durationS`, killed 30 s later. */
export async function runWrk(opts: WrkOptions): Promise<WrkResult> {
  const args = [`-t${opts.threads ?? 1}`, `-c${opts.connections}`, `-d${opts.durationS}s`, '--latency', opts.url];
  const { stdout } = await run('wrk', args, { timeout: (opts.durationS + 30) * 1000, killSignal: 'SIGKILL' });
  return parseWrk(stdout);
}
