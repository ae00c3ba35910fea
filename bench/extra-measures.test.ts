// Extra measures: a failure becomes a "not measured" row naming the reason, and skipped ones do not run.
import { runExtraMeasures, EXTRA_MEASURES } from './extra-measures.ts';
import { resultRows, type Measurements } from './report.ts';

describe('extra measures', () => {
  it('lists each measure once, by a unique name', () => {
    const names = EXTRA_MEASURES.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('propagation');
  });

  it('runs none when every one is skipped', async () => {
    const lines: string[] = [];
    const rows = await runExtraMeasures(new Set(EXTRA_MEASURES.map((e) => e.name)), (l) => lines.push(l));
    expect(rows).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("gives a measure that could not run its rows without a verdict, saying why", () => {
    const rows = EXTRA_MEASURES[0]!.notMeasured('redis-server is not installed');
    expect(rows[0]).toMatchObject({ pass: null, result: 'not measured: redis-server is not installed' });
  });

  it('appends the extra rows after the passthrough rows', () => {
    const extra = { measure: 'x', value: '1', anchor: '—', result: 'r', target: '≤ 2', kind: 'target', pass: true } as const;
    const wrk = { requestsPerSec: 100, latencyMs: { p50: 1, p99: 2 }, non2xx: 0, socketErrors: 0 };
    const openLoop = { latencyMs: { p50: 1, p90: 1, p99: 1, p999: 1, max: 1 }, lateMs: { p99: 0 }, achievedRate: 1000, errors: 0, non2xx: 0 };
    const t = { wrk, peakRssMiB: 100 };
    const l = { openLoop, peakRssMiB: 100 };
    const m = { node: { throughput: { direct: t, nginx: t, gateway: t }, latency: { direct: l, nginx: l, gateway: l } }, extraRows: [extra] } as unknown as Measurements;
    const rows = resultRows(m);
    expect(rows.at(-1)).toEqual(extra);
    expect(rows[0]!.measure).toMatch(/^throughput/);
  });
});

describe('tracking rows', () => {
  it('judges the service against twice the stand-in, the worker against 5,000 hits/s and fast mode against half the bare server; the sustainable rate is the lower of the last two', async () => {
    const { trackingResultRows } = await import('./tracking-persisted.ts');
    const rows = trackingResultRows([
      { name: 's', value: 100, unit: 'hits/s', detail: '' }, { name: 't', value: 250, unit: 'hits/s', detail: '' },
      { name: 'r', value: 2.5, unit: '×', detail: '' }, { name: 'd', value: 4000, unit: 'hits/s', detail: '1.25 s' },
      { name: 'f', value: 1200, unit: 'answers/s', detail: '' }, { name: 'b', value: 2000, unit: 'answers/s', detail: 'the same server with keep-alive: 9000/s' },
      { name: 'p', value: 60, unit: '%', detail: '' },
    ]);
    expect(rows.map((r) => r.pass)).toEqual([true, false, true, null]);
    expect(rows[2]).toMatchObject({ value: '1200', anchor: 'bare Node server: 2000', result: '60.0 % of the bare server; the same server with keep-alive: 9000/s' });
    expect(rows[3]).toMatchObject({ value: '1200', kind: 'info' });
    expect(trackingResultRows(null, 'no MariaDB').map((r) => [r.pass, r.result])).toEqual(new Array(4).fill([null, 'not measured: no MariaDB']));
  });
});

describe('forms row', () => {
  it('judges the service against the stand-in: not below it', async () => {
    const { formsResultRows } = await import('./forms-submissions.ts');
    const row = (ratio: number) => formsResultRows([
      { name: 's', value: 100, unit: 'sub/s', detail: '' }, { name: 'f', value: 100 * ratio, unit: 'sub/s', detail: '' },
      { name: 'r', value: ratio, unit: '×', detail: '' },
    ])[0]!;
    expect([row(1).pass, row(1.3).pass, row(0.97).pass]).toEqual([true, true, false]);
    expect(row(1.3)).toMatchObject({ value: '130', anchor: 'stand-in: 100', result: '1.30× the stand-in', target: '≥ 1×' });
    expect(formsResultRows(null, 'no MariaDB')[0]).toMatchObject({ pass: null, result: 'not measured: no MariaDB' });
  });
});
