/**
 * What tracing and metrics cost the legacy passthrough (issue #13, bench rows): the same
 * gateway build, the same upstream and load, in three configurations measured in the same run,
 * in alternating rounds (median of each):
 *
 * - off: `OTEL_SDK_DISABLED=true`, `STRANGLER_METRICS_DISABLED=true`;
 * - on: the defaults (spans built from the pipeline, parent-based ratio 0.01 with the tail keep,
 *   kept in memory; the Prometheus metrics and the progress counters);
 * - automatic: the gateway's own spans off, the OpenTelemetry node:http instrumentation loaded
 *   instead (auto-http-preload.ts), metrics on: what the issue asked to compare the own spans with.
 *
 * Rows are informational: "on" against "off" is the cost of observability; "automatic" against
 * "on" decides between the two ways of making spans. Besides the throughput, each run gives the
 * gateway process's CPU time per request (user + system from /proc, over the measured run): on a
 * machine shared with other work, throughput swings with the load, CPU per request much less.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGatewayProcess } from './gateway.ts';
import { startNodeUpstream } from './node-upstream.ts';
import { freePort, stopChild } from './processes.ts';
import type { ResultRow } from './report.ts';
import { runWrk, type WrkResult } from './wrk.ts';

/** Load and lengths. */
export interface ObservabilityCostSettings {
  readonly connections: number;
  readonly warmupS: number;
  readonly durationS: number;
  readonly rounds: number;
}

/** The bench's defaults (16 connections, as the passthrough rows). */
export const OBSERVABILITY_COST_DEFAULTS: ObservabilityCostSettings = { connections: 16, warmupS: 4, durationS: 6, rounds: 3 };

const PATH = '/mtracking.gif?page_url=https%3A%2F%2Fexample.com%2Fbench&page_title=Bench';

const CONFIGS = {
  off: { OTEL_SDK_DISABLED: 'true', STRANGLER_METRICS_DISABLED: 'true' },
  on: {},
  automatic: { OTEL_SDK_DISABLED: 'true', NODE_OPTIONS: `--import=${join(process.cwd(), 'bench', 'auto-http-preload.ts')}` },
} as const;

type ConfigName = keyof typeof CONFIGS;

/** One configuration's median run: its wrk result and the gateway's CPU per request. */
export interface CostRun {
  readonly wrk: WrkResult;
  /** Gateway CPU (user + system) per request, in µs. */
  readonly cpuUsPerRequest: number;
}

/** The median of each configuration, or why it could not run. */
export type ObservabilityCost = { readonly [K in ConfigName]: CostRun } | { readonly missing: string };

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** CPU time of a process so far, in µs (user + system). */
function cpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_S) * 1_000_000;
}

/** Runs the three configurations, `rounds` times each in turn, each with a fresh gateway process (from dist/: build it first). */
export async function measureObservabilityCost(settings: ObservabilityCostSettings = OBSERVABILITY_COST_DEFAULTS): Promise<ObservabilityCost> {
  const upstreamPort = await freePort();
  const upstream = await startNodeUpstream(upstreamPort);
  const runs: Record<ConfigName, CostRun[]> = { off: [], on: [], automatic: [] };
  try {
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const name of Object.keys(CONFIGS) as ConfigName[]) {
        const gateway = await startGatewayProcess(`http://127.0.0.1:${upstreamPort}`, CONFIGS[name]);
        if ('missing' in gateway) return { missing: gateway.missing };
        try {
          const url = `http://127.0.0.1:${gateway.port}${PATH}`;
          await runWrk({ url, connections: settings.connections, durationS: settings.warmupS });
          const pid = gateway.child.pid as number;
          const cpuBefore = cpuUs(pid);
          const result = await runWrk({ url, connections: settings.connections, durationS: settings.durationS });
          const cpuUsPerRequest = (cpuUs(pid) - cpuBefore) / result.requests;
          if (result.non2xx > 0 || result.socketErrors > 0) return { missing: `${name}: ${result.non2xx} non-2xx, ${result.socketErrors} socket errors` };
          runs[name].push({ wrk: result, cpuUsPerRequest });
          console.log(`observability cost: round ${round + 1} ${name} ${result.requestsPerSec.toFixed(0)} req/s, ${cpuUsPerRequest.toFixed(1)} µs CPU/request`);
        } finally {
          await stopChild(gateway.child);
        }
      }
    }
  } finally {
    await stopChild(upstream);
  }
  return { off: median(runs.off), on: median(runs.on), automatic: median(runs.automatic) };
}

/** The run with the median CPU per request (the figure that depends least on the machine's load). */
function median(runs: readonly CostRun[]): CostRun {
  return [...runs].sort((a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest)[Math.floor(runs.length / 2)] as CostRun;
}

const rps = (r: CostRun): string => r.wrk.requestsPerSec.toFixed(0);
const cpu = (r: CostRun): string => `${r.cpuUsPerRequest.toFixed(1)} µs CPU/req`;
const pct = (a: CostRun, b: CostRun): string => `${((a.cpuUsPerRequest / b.cpuUsPerRequest - 1) * 100).toFixed(1)} %`;

/** The rows of the results table (kind `info`). */
export function observabilityCostRows(m: ObservabilityCost | null, reason = ''): ResultRow[] {
  const measures = ['passthrough, tracing (default sampling) + metrics on (req/s)', 'passthrough, automatic node:http instrumentation instead (req/s)'];
  if (m === null || 'missing' in m) {
    const why = m === null ? reason : m.missing;
    return measures.map((measure) => ({ measure, value: 'not measured', anchor: '—', result: why.slice(0, 80), target: 'info', kind: 'info', pass: null }));
  }
  return [
    { measure: measures[0] as string, value: `${rps(m.on)} (${cpu(m.on)})`, anchor: `off: ${rps(m.off)} (${cpu(m.off)})`, result: `CPU per request ${pct(m.on, m.off)} against off`, target: 'info', kind: 'info', pass: null },
    { measure: measures[1] as string, value: `${rps(m.automatic)} (${cpu(m.automatic)})`, anchor: `own spans: ${rps(m.on)} (${cpu(m.on)})`, result: `CPU per request ${pct(m.automatic, m.on)} against own spans, ${pct(m.automatic, m.off)} against off`, target: 'info', kind: 'info', pass: null },
  ];
}
