/**
 * `npm run bench`: measures the gateway's legacy passthrough against anchors
 * measured in the same run (design.md §10) and writes bench/RESULTS.md.
 *
 * Environment (all optional): BENCH_DURATION_S (10), BENCH_WARMUP_S (2),
 * BENCH_CONNECTIONS (16), BENCH_RATE (1000), BENCH_NOTE (a line for RESULTS.md),
 * BENCH_NO_WRITE=1 (print only). Loopback only; bounded by a watchdog; every
 * process it starts is ended when it ends.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess } from './gateway.ts';
import { measureLatency, measureThroughput } from './measure.ts';
import type { BenchSettings, Target } from './measure.ts';
import { TRACKING_GIF, startProxy, startStaticUpstream } from './nginx.ts';
import { freePort, installCleanup, killAllChildren, stopChild } from './processes.ts';
import { resultRows, resultsMarkdown, textTable } from './report.ts';
import type { Measurements } from './report.ts';
import { ensureTools, machineFacts } from './tools.ts';

const PATH = '/mtracking.gif?page_url=https%3A%2F%2Fexample.com%2Fpricing&page_title=Pricing';

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Checks that a path answers the tracking GIF, so no measure counts errors as speed. */
async function checkAnswers(target: Target): Promise<void> {
  const res = await fetch(target.url);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200 || !body.equals(TRACKING_GIF)) {
    throw new Error(`${target.name} answered ${res.status} with ${body.length} bytes instead of the tracking GIF`);
  }
}

async function main(): Promise<number> {
  const settings: BenchSettings = {
    durationS: envInt('BENCH_DURATION_S', 10), warmupS: envInt('BENCH_WARMUP_S', 2),
    connections: envInt('BENCH_CONNECTIONS', 16), rate: envInt('BENCH_RATE', 1000),
  };
  const startedAt = new Date();
  ensureTools();
  armWatchdog();
  const machine = machineFacts();
  const dir = join(process.cwd(), 'bench', 'out');
  rmSync(dir, { recursive: true, force: true });
  const upstreamPort = await freePort();
  const proxyPort = await freePort();
  const upstream = await startStaticUpstream(join(dir, 'upstream'), upstreamPort);
  const proxy = await startProxy(join(dir, 'proxy'), proxyPort, upstreamPort);
  const gateway = await startGatewayProcess(`http://127.0.0.1:${upstreamPort}`);
  const direct: Target = { name: 'direct', url: `http://127.0.0.1:${upstreamPort}${PATH}` };
  const nginx: Target = { name: 'nginx', url: `http://127.0.0.1:${proxyPort}${PATH}` };
  const gw: Target | null = 'missing' in gateway ? null
    : { name: 'gateway', url: `http://127.0.0.1:${gateway.port}${PATH}`, ...(gateway.child.pid ? { pid: gateway.child.pid } : {}) };
  for (const target of [direct, nginx, ...(gw ? [gw] : [])]) await checkAnswers(target);

  console.log('measuring…');
  const m: Measurements = {
    throughput: {
      direct: await measureThroughput(direct, settings), nginx: await measureThroughput(nginx, settings),
      ...(gw ? { gateway: await measureThroughput(gw, settings) } : {}),
    },
    latency: {
      direct: await measureLatency(direct, settings), nginx: await measureLatency(nginx, settings),
      ...(gw ? { gateway: await measureLatency(gw, settings) } : {}),
    },
    ...('missing' in gateway ? { gatewayMissing: gateway.missing } : {}),
  };
  if (!('missing' in gateway)) await stopChild(gateway.child);
  await stopChild(proxy);
  await stopChild(upstream);

  const rows = resultRows(m);
  console.log(`\n${textTable(rows)}\n`);
  if (m.gatewayMissing) console.log(`gateway not measured: ${m.gatewayMissing}`);
  const note = process.env.BENCH_NOTE ?? '';
  if (process.env.BENCH_NO_WRITE !== '1') {
    const markdown = resultsMarkdown(m, machine, settings, startedAt, note, loadavg()[0] ?? Number.NaN);
    writeFileSync(join(process.cwd(), 'bench', 'RESULTS.md'), markdown);
    console.log('wrote bench/RESULTS.md');
  }
  return rows.every((row) => row.pass === true) ? 0 : 1;
}

/** Bounded in time whatever happens: 3 × (wrk + open loop) plus start-up take about 2 minutes. */
function armWatchdog(): void {
  setTimeout(() => {
    console.error('bench: watchdog fired after 10 minutes; ending every process');
    killAllChildren();
    process.exit(2);
  }, 10 * 60_000).unref();
}

installCleanup();

main().then((code) => {
  killAllChildren();
  process.exit(code);
}, (err: unknown) => {
  console.error('bench failed:', err);
  killAllChildren();
  process.exit(2);
});
