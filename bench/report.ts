/**
 * Turns the measurements into the results table (design.md §10 targets, as
 * ratios or differences against anchors measured in the same run) and into
 * bench/RESULTS.md.
 */
import type { LatencyMeasure, ThroughputMeasure, BenchSettings } from './measure.ts';
import type { MachineFacts } from './tools.ts';

/** Everything one run measured; gateway entries are absent when it could not start. */
export interface Measurements {
  readonly throughput: { readonly direct: ThroughputMeasure; readonly nginx: ThroughputMeasure; readonly gateway?: ThroughputMeasure };
  readonly latency: { readonly direct: LatencyMeasure; readonly nginx: LatencyMeasure; readonly gateway?: LatencyMeasure };
  /** Why the gateway was not measured, when it was not. */
  readonly gatewayMissing?: string;
}

/** One line of the results table. */
export interface ResultRow {
  readonly measure: string;
  readonly value: string;
  readonly anchor: string;
  readonly result: string;
  readonly target: string;
  /** null: not measured. */
  readonly pass: boolean | null;
}

const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function clean(m: { wrk?: { non2xx: number; socketErrors: number }; openLoop?: { errors: number; non2xx: number } }): boolean {
  if (m.wrk) return m.wrk.non2xx === 0 && m.wrk.socketErrors === 0;
  return m.openLoop ? m.openLoop.errors === 0 && m.openLoop.non2xx === 0 : false;
}

/** The rows of the results table. */
export function resultRows(m: Measurements): ResultRow[] {
  const tg = m.throughput.gateway;
  const lg = m.latency.gateway;
  const nginxRps = m.throughput.nginx.wrk.requestsPerSec;
  const direct = m.latency.direct.openLoop.latencyMs;
  const rows: ResultRow[] = [];
  const ratio = tg ? tg.wrk.requestsPerSec / nginxRps : Number.NaN;
  rows.push({
    measure: 'throughput, legacy passthrough (req/s)', value: tg ? fmt(tg.wrk.requestsPerSec, 0) : 'not measured',
    anchor: `nginx 1 worker: ${fmt(nginxRps, 0)}`, result: `${fmt(ratio * 100, 1)} % of nginx`, target: '≥ 50 %',
    pass: tg ? ratio >= 0.5 && clean(tg) && clean(m.throughput.nginx) : null,
  });
  for (const [label, key, limit] of [['p50', 'p50', 0.5], ['p99', 'p99', 3]] as const) {
    const added = lg ? lg.openLoop.latencyMs[key] - direct[key] : Number.NaN;
    rows.push({
      measure: `added latency ${label} at ${fmt(m.latency.direct.openLoop.achievedRate, 0)} req/s (ms)`,
      value: lg ? fmt(lg.openLoop.latencyMs[key], 3) : 'not measured', anchor: `direct: ${fmt(direct[key], 3)}`,
      result: `${added < 0 ? '−' : '+'}${fmt(Math.abs(added), 3)} ms`, target: `≤ ${limit} ms`,
      pass: lg ? added <= limit && clean(lg) && clean(m.latency.direct) : null,
    });
  }
  const peak = Math.max(tg?.peakRssMiB ?? Number.NaN, lg?.peakRssMiB ?? Number.NaN);
  rows.push({
    measure: 'gateway RSS under load, peak (MiB)', value: tg ? fmt(peak, 1) : 'not measured', anchor: '—',
    result: `${fmt(peak, 1)} MiB`, target: '≤ 150 MiB', pass: tg ? peak <= 150 : null,
  });
  return rows;
}

const verdict = (pass: boolean | null): string => (pass === null ? 'not measured' : pass ? 'pass' : 'FAIL');

/** The table as aligned text for the terminal. */
export function textTable(rows: readonly ResultRow[]): string {
  const cells = [['measure', 'gateway', 'anchor', 'result', 'target', 'verdict'],
    ...rows.map((r) => [r.measure, r.value, r.anchor, r.result, r.target, verdict(r.pass)])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

function detailRows(m: Measurements): string[] {
  const lines = ['| path | wrk req/s | wrk p50 / p99 (ms) | open-loop p50 / p90 / p99 / p99.9 / max (ms) | sent late p99 (ms) | errors, non-2xx |', '|---|---|---|---|---|---|'];
  for (const name of ['direct', 'nginx', 'gateway'] as const) {
    const t = m.throughput[name];
    const l = m.latency[name];
    if (!t || !l) continue;
    const o = l.openLoop.latencyMs;
    lines.push(`| ${name} | ${fmt(t.wrk.requestsPerSec, 0)} | ${fmt(t.wrk.latencyMs.p50, 3)} / ${fmt(t.wrk.latencyMs.p99, 3)} | `
      + `${fmt(o.p50, 3)} / ${fmt(o.p90, 3)} / ${fmt(o.p99, 3)} / ${fmt(o.p999, 3)} / ${fmt(o.max, 3)} | ${fmt(l.openLoop.lateMs.p99, 3)} | `
      + `wrk ${t.wrk.socketErrors}, ${t.wrk.non2xx}; open-loop ${l.openLoop.errors}, ${l.openLoop.non2xx} |`);
  }
  return lines;
}

/** bench/RESULTS.md. */
export function resultsMarkdown(m: Measurements, machine: MachineFacts, settings: BenchSettings, startedAt: Date, note: string, loadAtEnd: number): string {
  const rows = resultRows(m);
  return [
    '# Benchmark results', '',
    `Written by \`npm run bench\` on ${startedAt.toISOString()}. How to read it: bench/README.md.`, '',
    '| machine | |', '|---|---|',
    `| cores (nproc) | ${machine.cores} |`, `| CPU | ${machine.cpuModel} |`, `| memory | ${machine.memoryGiB} GiB |`,
    `| Node | ${machine.node} |`, `| nginx | ${machine.nginx} |`, `| wrk | ${machine.wrk} |`,
    `| 1-min load average at start / end | ${fmt(machine.loadAverage)} / ${fmt(loadAtEnd)} |`, '',
    `Settings: wrk ${settings.connections} connections, 1 thread, ${settings.durationS} s after ${settings.warmupS} s warm-up; `
      + `open loop ${settings.rate} req/s for ${settings.durationS} s after ${settings.warmupS} s warm-up. `
      + 'Upstream: nginx (1 worker) serving the 43-byte tracking GIF on 127.0.0.1; request `GET /mtracking.gif?…` (route `tracking.pixel`, mode legacy).', '',
    ...(note ? [note, ''] : []),
    ...(m.gatewayMissing ? [`**The gateway was not measured:** ${m.gatewayMissing}`, ''] : []),
    '| measure | gateway | anchor (same run) | result | target | verdict |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.anchor} | ${r.result} | ${r.target} | ${verdict(r.pass)} |`), '',
    '## Every path', '', ...detailRows(m), '',
    '"sent late p99" is how late the open-loop generator sent against its schedule: above a few ms, the',
    'machine was busy with other work during that measurement and its tail latencies say more about the machine.', '',
  ].join('\n');
}
