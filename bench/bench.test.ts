import { percentile, summarize } from './stats.ts';
import { parseWrk, type WrkResult } from './wrk.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveCommand } from './gateway.ts';
import { proxyConfig } from './nginx.ts';
import { allTargetsMet, gatewayPeakMiB, resultRows, resultsMarkdown, textTable } from './report.ts';
import type { Measurements, ResultRow } from './report.ts';
import { medianRun } from './measure.ts';
import type { BenchSettings, LatencyMeasure, ThroughputMeasure } from './measure.ts';
import type { MachineFacts } from './tools.ts';
import type { OpenLoopResult } from './open-loop.ts';
import { shadowModeRow } from './shadow-mode.ts';

const WRK_OUTPUT = `Running 10s test @ http://127.0.0.1:8080/mtracking.gif
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.00us  100.00us   5.00ms   90.00%
    Req/Sec    38.00k     1.00k   40.00k    70.00%
  Latency Distribution
     50%  380.00us
     75%  420.00us
     90%  510.00us
     99%    1.20ms
  380000 requests in 10.00s, 120.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  37999.50
Transfer/sec:     12.00MB
`;

describe('parseWrk', () => {
  it('reads rate, count, latency percentiles in ms and errors', () => {
    expect(parseWrk(WRK_OUTPUT)).toEqual({
      requestsPerSec: 37999.5, requests: 380000, non2xx: 7, socketErrors: 3,
      latencyMs: { p50: 0.38, p90: 0.51, p99: 1.2 },
    });
  });

  it('counts no errors when wrk printed none', () => {
    const clean = WRK_OUTPUT.replace(/ {2}Socket errors.*\n/, '').replace(/ {2}Non-2xx.*\n/, '');
    expect(parseWrk(clean)).toMatchObject({ non2xx: 0, socketErrors: 0 });
  });

  it('refuses output without a rate', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/no Requests\/sec line/);
  });
});

describe('percentile and summarize', () => {
  it.each([
    ['1..4', [1, 2, 3, 4], 0.5, 2],
    ['1..4', [1, 2, 3, 4], 0.99, 4],
    ['one sample', [5], 0.5, 5],
    ['1..1000', Array.from({ length: 1000 }, (_, i) => i + 1), 0.99, 990],
  ])('percentile of %s at %d', (_label, sorted, q, expected) => {
    expect(percentile(sorted, q)).toBe(expected);
  });

  it('is NaN for no samples', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(summarize([]).count).toBe(0);
  });

  it('sorts numerically', () => {
    expect(summarize([10, 9, 100, 1])).toMatchObject({ p50: 9, max: 100, count: 4 });
  });
});

const open = (p50: number, p99: number, rss = 80): LatencyMeasure => ({
  openLoop: {
    latencyMs: { count: 10_000, p50, p90: p50, p99, p999: p99, max: p99 },
    lateMs: { count: 10_000, p50: 0.1, p90: 0.2, p99: 0.5, p999: 1, max: 2 },
    sent: 10_000, errors: 0, non2xx: 0, achievedRate: 1000,
  },
  peakRssMiB: rss,
});

describe('resultRows', () => {
  const wrk = (rps: number, non2xx = 0): ThroughputMeasure => ({
    wrk: { requestsPerSec: rps, requests: rps * 10, non2xx, socketErrors: 0, latencyMs: { p50: 0.3, p90: 0.5, p99: 1 } },
    peakRssMiB: 90,
  });
  const targets = (rows: readonly ResultRow[]): Array<boolean | null> => rows.filter((r) => r.kind === 'target').map((r) => r.pass);

  it('passes when every target is met, comparing against the anchors of the same run', () => {
    const m: Measurements = {
      node: {
        throughput: { direct: wrk(90_000), nginx: wrk(40_000), gateway: wrk(21_000) },
        latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5), gateway: open(0.4, 2.5, 120) },
        gatewayHwmMiB: 110,
        forwarder: wrk(25_000),
      },
    };
    const rows = resultRows(m);
    expect(targets(rows)).toEqual([true, true, true, true, true]);
    expect(allTargetsMet(rows)).toBe(true);
    expect(rows[0]).toMatchObject({ anchor: 'nginx 1 worker, JSON log: 40000', result: '52.5 % of nginx', target: '≥ 50 %' });
    expect(rows[1]).toMatchObject({ anchor: 'bare forwarder: 25000', result: '84.0 % of the bare forwarder', target: '≥ 80 %' });
    expect(rows[2]?.result).toBe('+0.300 ms');
    expect(rows[4]?.value).toBe('120.0');
    expect(textTable(rows)).toContain('pass');
  });

  it('fails the bare-forwarder target below 80 %, and when either side had errors', () => {
    const run = (gateway: ThroughputMeasure, forwarder: ThroughputMeasure): Measurements => ({
      node: {
        throughput: { direct: wrk(90_000), nginx: wrk(30_000), gateway },
        latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5), gateway: open(0.4, 2.5) },
        forwarder,
      },
    });
    const row = (m: Measurements): ResultRow | undefined => resultRows(m).find((r) => r.measure.includes('bare forwarder (req/s)'));
    expect(row(run(wrk(19_000), wrk(25_000)))).toMatchObject({ result: '76.0 % of the bare forwarder', pass: false });
    expect(row(run(wrk(20_000), wrk(25_000)))).toMatchObject({ result: '80.0 % of the bare forwarder', pass: true });
    expect(row(run(wrk(24_000), wrk(25_000, 3)))?.pass).toBe(false);
    expect(allTargetsMet(resultRows(run(wrk(19_000), wrk(25_000))))).toBe(false);
  });

  it('fails a target that is missed, and a measure with errors', () => {
    const m: Measurements = {
      node: {
        throughput: { direct: wrk(90_000), nginx: wrk(40_000), gateway: wrk(30_000, 5) },
        latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5), gateway: open(0.7, 5, 200) },
      },
    };
    const rows = resultRows(m);
    expect(targets(rows)).toEqual([false, false, false, false]);
    expect(rows.some((r) => r.measure.includes('bare forwarder (req/s)'))).toBe(false);
    expect(allTargetsMet(rows)).toBe(false);
  });

  it('takes the RSS peak over every gateway process and run, VmHWM included', () => {
    const run = (hwm: number): Measurements['node'] => ({
      throughput: { direct: wrk(90_000), nginx: wrk(40_000), gateway: wrk(21_000) },
      latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5), gateway: open(0.4, 2.5, 100) },
      gatewayHwmMiB: hwm,
    });
    const m: Measurements = { node: run(140), staticNginx: run(151) };
    expect(gatewayPeakMiB(m)).toBe(151);
    const rss = resultRows(m).find((r) => r.measure.startsWith('gateway RSS'));
    expect(rss).toMatchObject({ value: '151.0', pass: false });
  });

  it('adds informational rows (nginx without its log, bare Node server, bare forwarder, static upstream) that never fail the run', () => {
    const m: Measurements = {
      node: {
        throughput: { direct: wrk(50_000), nginx: wrk(40_000), gateway: wrk(21_000) },
        latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5), gateway: open(0.4, 2.5) },
        forwarder: wrk(18_000),
        forwarderLatency: open(0.3, 2.0),
        nginxNoLog: wrk(60_000),
      },
      staticNginx: {
        throughput: { direct: wrk(80_000), nginx: wrk(50_000), gateway: wrk(5_000) },
        latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5), gateway: open(0.4, 2.5) },
      },
    };
    const rows = resultRows(m);
    const info = rows.filter((r) => r.kind === 'info');
    expect(info.map((r) => [r.value, r.result, r.pass])).toEqual([
      ['60000', 'the log costs nginx 33.3 %; gateway = 35.0 % of it', null],
      ['50000', 'gateway = 42.0 % of it', null],
      ['18000', '45.0 % of nginx', null],
      ['0.300 / 2.000', '+0.200 ms / +1.000 ms', null],
      ['5000', '10.0 % of nginx', null],
    ]);
    expect(allTargetsMet(rows)).toBe(true);
    const noisy = resultRows({ ...m, node: { ...m.node, nginxNoLog: wrk(38_000) } });
    expect(noisy.find((r) => r.measure.startsWith('nginx without'))?.result).toBe('the log costs nginx −5.3 %; gateway = 55.3 % of it');
    expect(rows.find((r) => r.measure.includes('bare forwarder (req/s)'))).toMatchObject({ result: '116.7 % of the bare forwarder', pass: true });
    expect(textTable(rows)).toContain('info');
  });

  it('says plainly in RESULTS.md which targets were missed, with the numbers', () => {
    const run = (gatewayRps: number): Measurements['node'] => ({
      throughput: { direct: wrk(90_000), nginx: wrk(40_000), gateway: wrk(gatewayRps) },
      latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5), gateway: open(0.4, 2.5) },
    });
    const machine: MachineFacts = { cores: 2, cpuModel: 'cpu', memoryGiB: 1, node: 'v24', nginx: '1', wrk: '4', loadAverage: 0.1 };
    const settings: BenchSettings = { connections: 16, durationS: 6, warmupS: 8, rate: 1000, rounds: 3 };
    const failing = resultsMarkdown({ node: { ...run(10_000), forwarder: wrk(20_000) } }, machine, settings, new Date(0), '', 0.2);
    expect(failing).toContain('## Targets missed');
    expect(failing).toContain('- **throughput, legacy passthrough (req/s)**: 10000 → 25.0 % of nginx; the target is ≥ 50 %.');
    expect(failing).toContain('- **throughput against the bare forwarder (req/s)**: 10000 → 50.0 % of the bare forwarder; the target is ≥ 80 %.');
    expect(resultsMarkdown({ node: run(21_000) }, machine, settings, new Date(0), '', 0.2)).not.toContain('Targets missed');
  });

  it('says "not measured" without a gateway', () => {
    const m: Measurements = {
      node: {
        throughput: { direct: wrk(90_000), nginx: wrk(40_000) },
        latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5) },
      },
      gatewayMissing: 'npm run build failed',
    };
    const rows = resultRows({ ...m, node: { ...m.node, forwarder: wrk(20_000) } });
    expect(targets(rows)).toHaveLength(5);
    expect(targets(rows).every((pass) => pass === null)).toBe(true);
    expect(allTargetsMet(rows)).toBe(false);
    expect(textTable(rows)).toContain('not measured');
  });
});

describe('interleaved rounds', () => {
  const run = (rps: number): WrkResult => ({ requestsPerSec: rps, requests: rps * 6, non2xx: 0, socketErrors: 0, latencyMs: { p50: 1, p90: 2, p99: 3 } });

  it('takes the median round, the lower middle of an even count', () => {
    expect(medianRun([run(30_000), run(10_000), run(20_000)]).requestsPerSec).toBe(20_000);
    expect(medianRun([run(40_000), run(10_000), run(30_000), run(20_000)]).requestsPerSec).toBe(20_000);
    expect(medianRun([run(5)]).requestsPerSec).toBe(5);
    expect(() => medianRun([])).toThrow(/no wrk run/);
  });

  it('shows every round in RESULTS.md next to the median', () => {
    const withRounds: ThroughputMeasure = { wrk: run(20_000), peakRssMiB: Number.NaN, roundsRps: [30_000, 10_000, 20_000] };
    const m: Measurements = {
      node: {
        throughput: { direct: withRounds, nginx: withRounds, gateway: withRounds },
        latency: { direct: open(0.1, 1), nginx: open(0.2, 1.5), gateway: open(0.4, 2.5) },
        forwarder: withRounds,
        forwarderLatency: open(0.3, 2.0),
        nginxNoLog: withRounds,
      },
    };
    const machine: MachineFacts = { cores: 2, cpuModel: 'cpu', memoryGiB: 1, node: 'v24', nginx: '1', wrk: '4', loadAverage: 0.1 };
    const settings: BenchSettings = { connections: 16, durationS: 6, warmupS: 8, rate: 1000, rounds: 3 };
    const markdown = resultsMarkdown(m, machine, settings, new Date(0), '', 0.2);
    expect(markdown).toContain('| bare Node server | gateway | 20000 (30000 / 10000 / 20000) |');
    expect(markdown).toContain('| bare Node server | nginx, JSON log | 20000 (30000 / 10000 / 20000) |');
    expect(markdown).toContain('| bare Node server | bare forwarder | 20000 (30000 / 10000 / 20000) |');
    expect(markdown).toMatch(/\| bare forwarder \| [^\n]*\| 0\.300 \/ [^\n]* \/ 2\.000 \/ [^\n]*open-loop 0, 0 \|/);
    expect(markdown).toContain('| bare Node server | nginx, no log (info) | 20000 (30000 / 10000 / 20000) | 1.000 / 3.000 | — | — | wrk 0, 0 |');
    const paths = [...markdown.matchAll(/^\| bare Node server \| ([^|]+) \|/gm)].map((match) => match[1]);
    expect(paths).toEqual(['direct', 'nginx, JSON log', 'nginx, no log (info)', 'gateway', 'bare forwarder']);
    expect(markdown).toContain('3 interleaved rounds of 6 s per path');
    expect(markdown).toContain('the nginx anchor its access log (`escape=json`, `buffer=4k`)');
  });
});

describe('serveCommand', () => {
  it('takes the environment, the V8 flags and the entry of the serve script, as the container runs it', () => {
    expect(serveCommand(JSON.stringify({ scripts: { serve: 'MALLOC_ARENA_MAX=2 node --max-semi-space-size=8 dist/scripts/serve.js' } })))
      .toEqual({ env: { MALLOC_ARENA_MAX: '2' }, args: ['--max-semi-space-size=8', 'dist/scripts/serve.js'] });
    expect(serveCommand(JSON.stringify({ scripts: { serve: 'node dist/scripts/serve.js' } }))).toEqual({ env: {}, args: ['dist/scripts/serve.js'] });
  });

  it('reads the real package.json', () => {
    const { args } = serveCommand(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    expect(args.at(-1)).toBe('dist/scripts/serve.js');
  });

  it.each(['node scripts/serve.ts', 'npx tsx dist/x.js', 'A=1', ''])('refuses a serve script that does not run dist/ with node: %j', (script) => {
    expect(() => serveCommand(JSON.stringify({ scripts: { serve: script } }))).toThrow(/"serve" must be/);
  });
});

describe('the nginx anchor', () => {
  it('logs a JSON line per request in 4 KiB batches to /dev/null, as the gateway does on its stdout', () => {
    const config = proxyConfig('/tmp/x', 8081, 8090, 'json');
    expect(config).toMatch(/log_format decision escape=json '\{"level":30,/);
    // In the server block: an access_log at the http level would be cancelled by its `access_log off`.
    expect(config).toMatch(/server \{\n\s+listen 127\.0\.0\.1:8081;\n\s+access_log \/dev\/null decision buffer=4k;/);
  });

  it('has no access log in its informational variant', () => {
    const config = proxyConfig('/tmp/x', 8081, 8090, 'off');
    expect(config).not.toContain('log_format');
    expect(config.match(/access_log/g)).toEqual(['access_log']);
    expect(config).toContain('access_log off;');
  });
});

describe('the shadow row', () => {
  const round = (p99: number): OpenLoopResult => ({ latencyMs: { p99 } as OpenLoopResult['latencyMs'], lateMs: {} as OpenLoopResult['lateMs'], sent: 5000, errors: 0, non2xx: 0, achievedRate: 1000 });
  it('compares the median p99s, and shows each round\'s event-loop delay', () => {
    const row = shadowModeRow({
      legacy: [round(2), round(3), round(4)], shadow: [round(3), round(3.2), round(9)], skipped: { 'cap-full': 10, 'deadline-passed': 0 }, compared: 0,
      loopDelay: { legacy: [{ p99: 1.25, max: 3 }], shadow: [{ p99: 12, max: 40 }] },
    });
    expect(row).toMatchObject({ value: '3.200', anchor: 'legacy mode: 3.000', pass: true });
    expect(row.result).toBe('106.7 % of legacy mode (rounds: shadow 3.000 / 3.200 / 9.000, legacy 2.000 / 3.000 / 4.000; copies: 0 compared, skipped cap-full 10; event-loop delay p99/max per round: shadow 12.0/40.0, legacy 1.3/3.0 ms)');
  });
});
