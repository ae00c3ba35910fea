/**
 * What tracing and metrics cost the legacy passthrough (issue #13, bench rows): the same
 * gateway build, the same upstream and load, in three configurations measured in the same run,
 * in alternating rounds (median of each):
 *
 * - off: `OTEL_SDK_DISABLED=true`, `STRANGLER_METRICS_DISABLED=true`;
 * - on: the defaults (spans built from the pipeline, parent-based ratio 0.1 with the tail keep,
 *   kept in memory; the Prometheus metrics and the progress counters);
 * - automatic: the gateway's own spans off, the OpenTelemetry node:http instrumentation loaded
 *   instead (auto-http-preload.ts), metrics on: what the issue asked to compare the own spans with.
 *
 * Rows are informational: "on" against "off" is the cost of observability; "automatic" against
 * "on" decides between the two ways of making spans.
 */
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

/** The median throughput of each configuration, or why it could not run. */
export type ObservabilityCost = { readonly [K in ConfigName]: WrkResult } | { readonly missing: string };

/** Runs the three configurations, `rounds` times each in turn, each with a fresh gateway process (from dist/: build it first). */
export async function measureObservabilityCost(settings: ObservabilityCostSettings = OBSERVABILITY_COST_DEFAULTS): Promise<ObservabilityCost> {
  const upstreamPort = await freePort();
  const upstream = await startNodeUpstream(upstreamPort);
  const runs: Record<ConfigName, WrkResult[]> = { off: [], on: [], automatic: [] };
  try {
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const name of Object.keys(CONFIGS) as ConfigName[]) {
        const gateway = await startGatewayProcess(`http://127.0.0.1:${upstreamPort}`, CONFIGS[name]);
        if ('missing' in gateway) return { missing: gateway.missing };
        try {
          const url = `http://127.0.0.1:${gateway.port}${PATH}`;
          await runWrk({ url, connections: settings.connections, durationS: settings.warmupS });
          const result = await runWrk({ url, connections: settings.connections, durationS: settings.durationS });
          if (result.non2xx > 0 || result.socketErrors > 0) return { missing: `${name}: ${result.non2xx} non-2xx, ${result.socketErrors} socket errors` };
          runs[name].push(result);
          console.log(`observability cost: round ${round + 1} ${name} ${result.requestsPerSec.toFixed(0)} req/s`);
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

function median(results: readonly WrkResult[]): WrkResult {
  return [...results].sort((a, b) => a.requestsPerSec - b.requestsPerSec)[Math.floor(results.length / 2)] as WrkResult;
}

const rps = (r: WrkResult): string => r.requestsPerSec.toFixed(0);
const pct = (a: WrkResult, b: WrkResult): string => `${((a.requestsPerSec / b.requestsPerSec) * 100).toFixed(1)} %`;

/** The rows of the results table (kind `info`). */
export function observabilityCostRows(m: ObservabilityCost | null, reason = ''): ResultRow[] {
  const measures = ['passthrough, tracing (default sampling) + metrics on (req/s)', 'passthrough, automatic node:http instrumentation instead (req/s)'];
  if (m === null || 'missing' in m) {
    const why = m === null ? reason : m.missing;
    return measures.map((measure) => ({ measure, value: 'not measured', anchor: '—', result: why.slice(0, 80), target: 'info', kind: 'info', pass: null }));
  }
  return [
    { measure: measures[0] as string, value: rps(m.on), anchor: `off: ${rps(m.off)}`, result: `${pct(m.on, m.off)} of off; p99 ${m.on.latencyMs.p99} ms vs ${m.off.latencyMs.p99} ms`, target: 'info', kind: 'info', pass: null },
    { measure: measures[1] as string, value: rps(m.automatic), anchor: `own spans: ${rps(m.on)}`, result: `${pct(m.automatic, m.on)} of own spans, ${pct(m.automatic, m.off)} of off`, target: 'info', kind: 'info', pass: null },
  ];
}
