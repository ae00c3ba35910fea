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
    expect(rows[0]).toMatchObject({ value: '250', anchor: 'stand-in: 100', result: '2.50× the stand-in' });
    expect(rows[2]).toMatchObject({ value: '1200', anchor: 'bare Node server: 2000', result: '60.0 % of the bare server; the same server with keep-alive: 9000/s' });
    expect(rows[3]).toMatchObject({ value: '1200', kind: 'info' });
    expect(trackingResultRows(null, 'no MariaDB').map((r) => [r.pass, r.result])).toEqual(new Array(4).fill([null, 'not measured: no MariaDB']));
  });
});

describe('tracking restart row', () => {
  const measured = {
    ok: 900, otherStatuses: { 500: 2 }, cut: 16, refused: 700, rows: 901, complete: 901, contacts: 901, events: 901, dead: 0, orphans: 2, inHandAtKill: 7, downMs: 1300, drainSeconds: 0.05,
    missing: 0, duplicated: 0, fromCut: 1, unexplained: 0,
  };

  it('passes when each 200 has its row once, every row is complete and the only other rows are of requests cut by the kill; it says what the kill did', async () => {
    const { trackingRestartRow } = await import('./tracking-restart.ts');
    const row = trackingRestartRow(measured);
    expect(row).toMatchObject({ value: '901 rows', anchor: '200 answers: 900', kind: 'target', pass: true });
    expect(row.result).toBe(
      '+1 rows against the 200 answers; each 200 once, every row complete; 1 row of requests cut by the kill after their commit; '
      + '2 phase-2 messages of requests cut before it (orphans); contacts 901, created_contact events 901; requests cut by the kill 16, refused while down 700, other answers 500 ×2; '
      + "worker's batch in hand at the kill 7; service down 1.3 s, queue drained 0.1 s after the load",
    );
    expect(trackingRestartRow({ ...measured, rows: 900, complete: 900, fromCut: 0, otherStatuses: {} }).result).toMatch(/^rows = 200 answers; each 200 once, every row complete; 0 rows of requests cut .* other answers none;/);
  });

  it('fails on a 200 without its row, a request written twice, a row of no 200 or cut request, a row never completed, a dead letter', async () => {
    const { trackingRestartRow } = await import('./tracking-restart.ts');
    const fails = (change: Partial<typeof measured>) => trackingRestartRow({ ...measured, ...change });
    expect(fails({ missing: 2, rows: 899, complete: 899, fromCut: 1 })).toMatchObject({ pass: false, result: expect.stringMatching(/^-1 rows against the 200 answers; 2 200 answers without a row;/) });
    expect(fails({ duplicated: 1 })).toMatchObject({ pass: false, result: expect.stringContaining('1 requests with more than one row') });
    expect(fails({ unexplained: 1 })).toMatchObject({ pass: false, result: expect.stringContaining('1 row of no request answered 200 or cut') });
    expect(fails({ complete: 899 })).toMatchObject({ pass: false, result: expect.stringContaining('2 rows never completed (phase 2 lost)') });
    expect(fails({ dead: 3 })).toMatchObject({ pass: false, result: expect.stringContaining('3 dead-lettered') });
  });

  it('gives no verdict when it could not run, saying why', async () => {
    const { trackingRestartRow } = await import('./tracking-restart.ts');
    expect(trackingRestartRow(null, 'no MariaDB')).toMatchObject({ pass: null, value: 'not measured', result: 'not measured: no MariaDB' });
  });

  it('sets each page_hits row against the requests answered 200 and cut, by the page in its serialised query', async () => {
    const { reconcileHits } = await import('./tracking-restart.ts');
    const url = (n: number) => {
      const page = `https://shop.test/restart/${n}`;
      return `a:1:{s:8:"page_url";s:${page.length}:"${page}";}`;
    };
    const ok = new Set([1, 2, 3, 5]);
    const cut = new Set([4, 6]);
    expect(reconcileHits(ok, cut, [url(1), url(2), url(3), url(5), url(4)])).toEqual({ missing: 0, duplicated: 0, fromCut: 1, unexplained: 0 });
    expect(reconcileHits(ok, cut, [url(1), url(2), url(2), url(5), url(7), null, 'a:1:{s:8:"page_url";s:27:"https://shop.test/restart/1x";}'])).toEqual({ missing: 1, duplicated: 1, fromCut: 0, unexplained: 3 });
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
