/**
 * Turns the measurements into the results table (docs/architecture.md §10 targets, as
 * ratios or differences against anchors measured in the same run) and into
 * bench/RESULTS.md.
 */
import type { LatencyMeasure, ThroughputMeasure, BenchSettings } from './measure.ts';
import type { MachineFacts } from './tools.ts';

/** One measure of each path in front of one upstream; `gateway` is absent when it could not start. */
export interface PathMeasures<T> {
  /** Client → upstream, no proxy. */
  readonly direct: T;
  /** Client → nginx (1 worker, keep-alive pool, a JSON access log line per request) → upstream. */
  readonly nginx: T;
  /** Client → gateway → upstream. */
  readonly gateway?: T;
}

/** Everything measured in front of one upstream. */
export interface UpstreamRun {
  readonly throughput: PathMeasures<ThroughputMeasure>;
  readonly latency: PathMeasures<LatencyMeasure>;
  /** VmHWM of the gateway process of this run, in MiB: its lifetime peak (start-up, warm-ups, every run). */
  readonly gatewayHwmMiB?: number;
  /** Throughput of the bare forwarder (forwarder-child.ts) in front of the same upstream. */
  readonly forwarder?: ThroughputMeasure;
  /** Open-loop latency of the bare forwarder: whether a tail comes with this design or with the gateway's work. */
  readonly forwarderLatency?: LatencyMeasure;
  /** Throughput of the same nginx proxy without an access log (informational: what the log costs nginx). */
  readonly nginxNoLog?: ThroughputMeasure;
}

/** Everything one benchmark run measured. */
export interface Measurements {
  /** The headline: the bare Node server as upstream (docs/architecture.md §10's anchors). */
  readonly node: UpstreamRun;
  /** Informational: nginx serving the GIF from a file as upstream. */
  readonly staticNginx?: UpstreamRun;
  /** Why the gateway was not measured, when it was not. */
  readonly gatewayMissing?: string;
  /** Rows of the other parts' measures (extra-measures.ts), after the passthrough's. */
  readonly extraRows?: readonly ResultRow[];
}

/** One line of the results table. */
export interface ResultRow {
  readonly measure: string;
  readonly value: string;
  readonly anchor: string;
  readonly result: string;
  readonly target: string;
  /** `target`: a docs/architecture.md §10 target; `info`: context, never a verdict. */
  readonly kind: 'target' | 'info';
  /** null: not measured, or informational. */
  readonly pass: boolean | null;
}

const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** A difference in ms with its sign, e.g. `+0.300 ms`, `−0.100 ms`. */
const signedMs = (diff: number): string => `${diff < 0 ? '−' : '+'}${fmt(Math.abs(diff), 3)} ms`;

/** A percentage that may come out negative within the noise, e.g. `12.5 %`, `−3.0 %`. */
const signedPct = (pct: number): string => `${pct < 0 ? '−' : ''}${fmt(Math.abs(pct), 1)} %`;

function clean(m: { wrk?: { non2xx: number; socketErrors: number }; openLoop?: { errors: number; non2xx: number } }): boolean {
  if (m.wrk) return m.wrk.non2xx === 0 && m.wrk.socketErrors === 0;
  return m.openLoop ? m.openLoop.errors === 0 && m.openLoop.non2xx === 0 : false;
}

function throughputRow(run: UpstreamRun, measure: string, kind: ResultRow['kind']): ResultRow {
  const tg = run.throughput.gateway;
  const nginxRps = run.throughput.nginx.wrk.requestsPerSec;
  const ratio = tg ? tg.wrk.requestsPerSec / nginxRps : Number.NaN;
  return {
    measure, value: tg ? fmt(tg.wrk.requestsPerSec, 0) : 'not measured', anchor: `nginx 1 worker, JSON log: ${fmt(nginxRps, 0)}`,
    result: `${fmt(ratio * 100, 1)} % of nginx`, target: kind === 'target' ? '≥ 50 %' : '—', kind,
    pass: kind === 'info' || !tg ? null : ratio >= 0.5 && clean(tg) && clean(run.throughput.nginx),
  };
}

/** Gateway ÷ the bare forwarder in front of the same upstream, same run: what the gateway's own work costs. */
function forwarderRow(run: UpstreamRun, forwarder: ThroughputMeasure): ResultRow {
  const tg = run.throughput.gateway;
  const rps = forwarder.wrk.requestsPerSec;
  const ratio = tg ? tg.wrk.requestsPerSec / rps : Number.NaN;
  return {
    measure: 'throughput against the bare forwarder (req/s)', value: tg ? fmt(tg.wrk.requestsPerSec, 0) : 'not measured',
    anchor: `bare forwarder: ${fmt(rps, 0)}`, result: `${fmt(ratio * 100, 1)} % of the bare forwarder`, target: '≥ 80 %', kind: 'target',
    pass: tg ? ratio >= 0.8 && clean(tg) && clean(forwarder) : null,
  };
}

/** Peak RSS of the gateway in MiB over every run: sampled every 200 ms under load, and each process's VmHWM. */
export function gatewayPeakMiB(m: Measurements): number {
  const values = [m.node, m.staticNginx].flatMap((run) => run
    ? [run.throughput.gateway?.peakRssMiB, run.latency.gateway?.peakRssMiB, run.gatewayHwmMiB] : []);
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return finite.length > 0 ? Math.max(...finite) : Number.NaN;
}

/** The rows of the results table: the targets, then the informational rows. */
export function resultRows(m: Measurements): ResultRow[] {
  const { node } = m;
  const lg = node.latency.gateway;
  const direct = node.latency.direct.openLoop.latencyMs;
  const rows: ResultRow[] = [throughputRow(node, 'throughput, legacy passthrough (req/s)', 'target')];
  if (node.forwarder) rows.push(forwarderRow(node, node.forwarder));
  for (const [label, key, limit] of [['p50', 'p50', 0.5], ['p99', 'p99', 3]] as const) {
    const added = lg ? lg.openLoop.latencyMs[key] - direct[key] : Number.NaN;
    rows.push({
      measure: `added latency ${label} at ${fmt(node.latency.direct.openLoop.achievedRate, 0)} req/s (ms)`,
      value: lg ? fmt(lg.openLoop.latencyMs[key], 3) : 'not measured', anchor: `direct: ${fmt(direct[key], 3)}`,
      result: signedMs(added), target: `≤ ${limit} ms`, kind: 'target',
      pass: lg ? added <= limit && clean(lg) && clean(node.latency.direct) : null,
    });
  }
  const peak = gatewayPeakMiB(m);
  const measured = node.throughput.gateway !== undefined;
  rows.push({
    measure: 'gateway RSS under load, peak (MiB)', value: measured ? fmt(peak, 1) : 'not measured', anchor: '—',
    result: `${fmt(peak, 1)} MiB`, target: '≤ 150 MiB', kind: 'target', pass: measured ? peak <= 150 : null,
  });
  const tg = node.throughput.gateway;
  const nginxRps = node.throughput.nginx.wrk.requestsPerSec;
  const share = (rps: number): string => (tg ? `; gateway = ${fmt((tg.wrk.requestsPerSec / rps) * 100, 1)} % of it` : '');
  if (node.nginxNoLog) {
    const rps = node.nginxNoLog.wrk.requestsPerSec;
    rows.push({
      measure: 'nginx without its access log (req/s)', value: fmt(rps, 0), anchor: `nginx 1 worker, JSON log: ${fmt(nginxRps, 0)}`,
      result: `the log costs nginx ${signedPct((1 - nginxRps / rps) * 100)}${share(rps)}`, target: '—', kind: 'info', pass: null,
    });
  }
  const bare = node.throughput.direct.wrk.requestsPerSec;
  rows.push({
    measure: 'bare Node server alone, no proxy (req/s)', value: fmt(bare, 0), anchor: '—',
    result: tg ? `gateway = ${fmt((tg.wrk.requestsPerSec / bare) * 100, 1)} % of it` : '—', target: '—', kind: 'info', pass: null,
  });
  if (node.forwarder) {
    const rps = node.forwarder.wrk.requestsPerSec;
    rows.push({
      measure: 'bare forwarder, node:http + undici, no gateway logic (req/s)', value: fmt(rps, 0), anchor: `nginx 1 worker, JSON log: ${fmt(nginxRps, 0)}`,
      result: `${fmt((rps / nginxRps) * 100, 1)} % of nginx`, target: '—', kind: 'info', pass: null,
    });
  }
  if (node.forwarderLatency) {
    const o = node.forwarderLatency.openLoop.latencyMs;
    rows.push({
      measure: 'bare forwarder, added latency p50 / p99 (ms)', value: `${fmt(o.p50, 3)} / ${fmt(o.p99, 3)}`,
      anchor: `direct: ${fmt(direct.p50, 3)} / ${fmt(direct.p99, 3)}`, result: `${signedMs(o.p50 - direct.p50)} / ${signedMs(o.p99 - direct.p99)}`, target: '—', kind: 'info', pass: null,
    });
  }
  if (m.staticNginx) rows.push(throughputRow(m.staticNginx, 'throughput, static nginx upstream instead (req/s)', 'info'));
  return [...rows, ...(m.extraRows ?? [])];
}

/** True when every target row passed (informational rows never fail a run). */
export function allTargetsMet(rows: readonly ResultRow[]): boolean {
  return rows.filter((r) => r.kind === 'target').every((r) => r.pass === true);
}

const verdict = (row: ResultRow): string => (row.kind === 'info' ? 'info' : row.pass === null ? 'not measured' : row.pass ? 'pass' : 'FAIL');

/** The table as aligned text for the terminal. */
export function textTable(rows: readonly ResultRow[]): string {
  const cells = [['measure', 'gateway', 'anchor', 'result', 'target', 'verdict'],
    ...rows.map((r) => [r.measure, r.value, r.anchor, r.result, r.target, verdict(r)])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

const PATH_LABELS = { direct: 'direct', nginx: 'nginx, JSON log', gateway: 'gateway' } as const;

/** Every measured path, the headline upstream's first; informational paths say so. */
function detailRows(m: Measurements): string[] {
  const lines = ['| upstream | path | wrk req/s, median (every round) | wrk p50 / p99 (ms) | open-loop p50 / p90 / p99 / p99.9 / max (ms) | sent late p99 (ms) | errors, non-2xx |',
    '|---|---|---|---|---|---|---|'];
  for (const [upstream, run] of [['bare Node server', m.node], ['static nginx (info)', m.staticNginx]] as const) {
    if (!run) continue;
    const { throughput, latency } = run;
    lines.push(detailRow(upstream, PATH_LABELS.direct, throughput.direct, latency.direct));
    lines.push(detailRow(upstream, PATH_LABELS.nginx, throughput.nginx, latency.nginx));
    if (run.nginxNoLog) lines.push(detailRow(upstream, 'nginx, no log (info)', run.nginxNoLog, undefined));
    if (throughput.gateway) lines.push(detailRow(upstream, PATH_LABELS.gateway, throughput.gateway, latency.gateway));
    if (run.forwarder) lines.push(detailRow(upstream, 'bare forwarder', run.forwarder, run.forwarderLatency));
  }
  return lines;
}

/** One path's row; a path measured for throughput only shows dashes for the open loop. */
function detailRow(upstream: string, path: string, t: ThroughputMeasure, l: LatencyMeasure | undefined): string {
  const o = l?.openLoop;
  const open = o ? `${fmt(o.latencyMs.p50, 3)} / ${fmt(o.latencyMs.p90, 3)} / ${fmt(o.latencyMs.p99, 3)} / ${fmt(o.latencyMs.p999, 3)} / ${fmt(o.latencyMs.max, 3)} | ${fmt(o.lateMs.p99, 3)}` : '— | —';
  return `| ${upstream} | ${path} | ${roundsCell(t)} | ${fmt(t.wrk.latencyMs.p50, 3)} / ${fmt(t.wrk.latencyMs.p99, 3)} | ${open} | `
    + `wrk ${t.wrk.socketErrors}, ${t.wrk.non2xx}${o ? `; open-loop ${o.errors}, ${o.non2xx}` : ''} |`;
}

function roundsCell(t: ThroughputMeasure): string {
  const rounds = t.roundsRps && t.roundsRps.length > 1 ? ` (${t.roundsRps.map((r) => fmt(r, 0)).join(' / ')})` : '';
  return `${fmt(t.wrk.requestsPerSec, 0)}${rounds}`;
}

function rssLine(m: Measurements): string {
  const part = (label: string, run: UpstreamRun | undefined): string => (run?.throughput.gateway
    ? `${label}: sampled peak ${fmt(Math.max(run.throughput.gateway.peakRssMiB, run.latency.gateway?.peakRssMiB ?? Number.NaN), 1)} MiB, VmHWM ${fmt(run.gatewayHwmMiB ?? Number.NaN, 1)} MiB`
    : `${label}: not measured`);
  return `Gateway RSS: ${part('Node upstream', m.node)}; ${part('static nginx upstream', m.staticNginx)}.`;
}

function missedLines(rows: readonly ResultRow[]): string[] {
  const missed = rows.filter((r) => r.kind === 'target' && r.pass !== true);
  if (missed.length === 0) return [];
  return ['## Targets missed', '',
    ...missed.map((r) => `- **${r.measure}**: ${r.pass === null ? 'not measured' : `${r.value} → ${r.result}; the target is ${r.target}`}.`),
    '', 'What is known about the gap, with measurements: bench/README.md, "What is known today".', ''];
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
    `Settings: wrk ${settings.connections} connections, 1 thread, ${settings.warmupS} s warm-up per path, then ${settings.rounds} interleaved `
      + `rounds of ${settings.durationS} s per path (each round measures every path once); a path's figure is its median round. `
      + `open loop ${settings.rate} req/s for ${settings.durationS} s after ${settings.warmupS} s warm-up. `
      + 'Upstream of the targets: a bare Node `node:http` server answering the 43-byte tracking GIF; informational: nginx (1 worker) '
      + 'serving it from a file. Request `GET /mtracking.gif?…` (route `tracking.pixel`, mode legacy). The gateway runs as its '
      + 'container does: `npm run build`, then the `npm run serve` command. Both write a JSON line per request in 4 KiB batches '
      + 'to /dev/null: the gateway its decision line on stdout, the nginx anchor its access log (`escape=json`, `buffer=4k`).', '',
    ...(note ? [note, ''] : []),
    ...(m.gatewayMissing ? [`**The gateway was not measured:** ${m.gatewayMissing}`, ''] : []),
    '| measure | gateway | anchor (same run) | result | target | verdict |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.anchor} | ${r.result} | ${r.target} | ${verdict(r)} |`), '',
    rssLine(m), '',
    ...missedLines(rows),
    '## Every path', '', ...detailRows(m), '',
    '"sent late p99" is how late the open-loop generator sent against its schedule: above a few ms, the',
    'machine was busy with other work during that measurement and its tail latencies say more about the machine.', '',
  ].join('\n');
}
