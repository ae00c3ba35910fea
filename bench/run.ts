/**
 * `npm run bench`: measures the gateway's legacy passthrough against anchors
 * measured in the same run (docs/architecture.md §10) and writes bench/RESULTS.md.
 *
 * Environment (all optional): BENCH_DURATION_S (6), BENCH_WARMUP_S (8), BENCH_ROUNDS (3),
 * BENCH_CONNECTIONS (16), BENCH_RATE (1000), BENCH_NOTE (a line for RESULTS.md),
 * BENCH_NO_WRITE=1 (print only), BENCH_NO_STATIC=1 (skip the informational
 * static-nginx upstream), BENCH_SKIP=name,… (leave out extra measures of
 * extra-measures.ts, e.g. `propagation`). Loopback only; bounded by a watchdog; every process
 * it starts is ended when it ends.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildGateway, startGatewayProcess } from './gateway.ts';
import { runExtraMeasures } from './extra-measures.ts';
import { measureLatency, measureThroughputRounds } from './measure.ts';
import type { BenchSettings, Target, ThroughputMeasure } from './measure.ts';
import { startProxy, startStaticUpstream } from './nginx.ts';
import { startForwarder, startNodeUpstream } from './node-upstream.ts';
import { freePort, hwmMiB, installCleanup, killAllChildren, stopChild } from './processes.ts';
import { allTargetsMet, resultRows, resultsMarkdown, textTable } from './report.ts';
import type { Measurements, UpstreamRun } from './report.ts';
import { ensureTools, machineFacts } from './tools.ts';
import { TRACKING_GIF } from './tracking-gif.ts';

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

/** A started upstream, with the nginx anchor (JSON access log) and, when asked, the same nginx without a log in front of it. */
interface Upstream {
  readonly label: string;
  readonly port: number;
  readonly processes: readonly ChildProcess[];
  readonly proxyPort: number;
  readonly noLogProxyPort?: number;
}

async function startUpstream(label: string, dir: string, start: (port: number) => Promise<ChildProcess>, withNoLogProxy: boolean): Promise<Upstream> {
  const port = await freePort();
  const upstream = await start(port);
  const proxyPort = await freePort();
  const proxy = await startProxy(join(dir, `proxy-${label}`), proxyPort, port, 'json');
  if (!withNoLogProxy) return { label, port, processes: [proxy, upstream], proxyPort };
  const noLogProxyPort = await freePort();
  const noLog = await startProxy(join(dir, `proxy-${label}-no-log`), noLogProxyPort, port, 'off');
  return { label, port, processes: [proxy, noLog, upstream], proxyPort, noLogProxyPort };
}

/**
 * Measures direct, nginx, a fresh gateway process and, when started, nginx
 * without a log and the bare forwarder in front of one upstream: throughput in
 * interleaved rounds, then latency for each (not for nginx without a log). The
 * gateway and the forwarder are stopped after.
 */
async function measureUpstream(up: Upstream, settings: BenchSettings, gatewayBuilt: string | null, withForwarder: boolean): Promise<{ run: UpstreamRun; missing?: string }> {
  console.log(`upstream: ${up.label}`);
  const gateway = gatewayBuilt === null ? await startGatewayProcess(`http://127.0.0.1:${up.port}`) : { missing: gatewayBuilt };
  const forwarderPort = withForwarder ? await freePort() : 0;
  const forwarderChild = withForwarder ? await startForwarder(forwarderPort, up.port) : null;
  const direct: Target = { name: `${up.label} direct`, url: `http://127.0.0.1:${up.port}${PATH}` };
  const nginx: Target = { name: `${up.label} nginx`, url: `http://127.0.0.1:${up.proxyPort}${PATH}` };
  const gw: Target | null = 'missing' in gateway ? null
    : { name: `${up.label} gateway`, url: `http://127.0.0.1:${gateway.port}${PATH}`, ...(gateway.child.pid ? { pid: gateway.child.pid } : {}) };
  const fw: Target | null = forwarderChild ? { name: `${up.label} bare forwarder`, url: `http://127.0.0.1:${forwarderPort}${PATH}` } : null;
  const noLog: Target | null = up.noLogProxyPort ? { name: `${up.label} nginx without log`, url: `http://127.0.0.1:${up.noLogProxyPort}${PATH}` } : null;
  const targets = [direct, nginx, ...(noLog ? [noLog] : []), ...(gw ? [gw] : []), ...(fw ? [fw] : [])];
  for (const target of targets) await checkAnswers(target);
  const measured = await measureThroughputRounds(targets, settings);
  const of = (target: Target | null): ThroughputMeasure | undefined => (target ? measured[targets.indexOf(target)] : undefined);
  const gatewayThroughput = of(gw);
  const forwarder = of(fw);
  const nginxNoLog = of(noLog);
  const latency = {
    direct: await measureLatency(direct, settings), nginx: await measureLatency(nginx, settings),
    ...(gw ? { gateway: await measureLatency(gw, settings) } : {}),
  };
  const forwarderLatency = fw ? await measureLatency(fw, settings) : undefined;
  if (forwarderChild) await stopChild(forwarderChild);
  const run: UpstreamRun = {
    throughput: {
      direct: of(direct) as ThroughputMeasure, nginx: of(nginx) as ThroughputMeasure,
      ...(gatewayThroughput ? { gateway: gatewayThroughput } : {}),
    },
    ...(forwarder ? { forwarder } : {}),
    ...(forwarderLatency ? { forwarderLatency } : {}),
    ...(nginxNoLog ? { nginxNoLog } : {}),
    latency,
    ...(gw?.pid ? { gatewayHwmMiB: hwmMiB(gw.pid) } : {}),
  };
  if (!('missing' in gateway)) await stopChild(gateway.child);
  return { run, ...('missing' in gateway ? { missing: gateway.missing } : {}) };
}

async function main(): Promise<number> {
  const settings: BenchSettings = {
    durationS: envInt('BENCH_DURATION_S', 6), warmupS: envInt('BENCH_WARMUP_S', 8), rounds: envInt('BENCH_ROUNDS', 3),
    connections: envInt('BENCH_CONNECTIONS', 16), rate: envInt('BENCH_RATE', 1000),
  };
  const startedAt = new Date();
  ensureTools();
  armWatchdog();
  const machine = machineFacts();
  const dir = join(process.cwd(), 'bench', 'out');
  rmSync(dir, { recursive: true, force: true });
  console.log('building the gateway (npm run build)…');
  const built = buildGateway();

  const nodeUp = await startUpstream('node', dir, startNodeUpstream, true);
  const node = await measureUpstream(nodeUp, settings, built, true);
  for (const child of nodeUp.processes) await stopChild(child);
  let staticNginx: { run: UpstreamRun } | undefined;
  if (process.env.BENCH_NO_STATIC !== '1') {
    const staticUp = await startUpstream('static', dir, (port) => startStaticUpstream(join(dir, 'upstream-static'), port), false);
    staticNginx = await measureUpstream(staticUp, settings, built, false);
    for (const child of staticUp.processes) await stopChild(child);
  }
  const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const extraRows = await runExtraMeasures(skip, (line) => console.log(line));
  const m: Measurements = {
    node: node.run, ...(staticNginx ? { staticNginx: staticNginx.run } : {}), ...(node.missing ? { gatewayMissing: node.missing } : {}), extraRows,
  };

  const rows = resultRows(m);
  console.log(`\n${textTable(rows)}\n`);
  if (m.gatewayMissing) console.log(`gateway not measured: ${m.gatewayMissing}`);
  const note = process.env.BENCH_NOTE ?? '';
  if (process.env.BENCH_NO_WRITE !== '1') {
    const markdown = resultsMarkdown(m, machine, settings, startedAt, note, loadavg()[0] ?? Number.NaN);
    writeFileSync(join(process.cwd(), 'bench', 'RESULTS.md'), markdown);
    console.log('wrote bench/RESULTS.md');
  }
  return allTargetsMet(rows) ? 0 : 1;
}

/** Bounded in time whatever happens: with the defaults, warm-ups, 3 rounds and the open-loop runs take about 6 minutes, the extra measures about 10 more. */
function armWatchdog(): void {
  setTimeout(() => {
    console.error('bench: watchdog fired after 25 minutes; ending every process');
    killAllChildren();
    process.exit(2);
  }, 25 * 60_000).unref();
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
