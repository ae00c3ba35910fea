// The sending rows: the worker judged against 1,000 msg/s beside the stand-in, the API as context, and the workers a 15M/day peak needs.
import { EXTRA_MEASURES } from './extra-measures.ts';
import { PEAK_PER_SECOND, sendingResultRows, workersForPeak } from './sending-throughput.ts';
import type { SendingMeasure } from './sending-throughput.ts';

const measured = (workerMs: number, cpuMs: number): SendingMeasure => ({
  messages: 2_000,
  standin: { ms: 20_000 },
  api: { ms: 4_000 },
  worker: { ms: workerMs, cpuMs, sinkCpuMs: 900, startupMs: 700, settings: { SENDING_CONCURRENCY: '50', SENDING_SMTP_MAX_CONNECTIONS: '10' } },
});

describe('sending rows', () => {
  it('assumes a peak of ten times the average of 15 million a day', () => {
    expect(PEAK_PER_SECOND).toBe(1737);
  });

  it('counts the workers a peak needs, rounding up, and none it cannot say', () => {
    expect([workersForPeak(1737, 1000), workersForPeak(1737, 1737), workersForPeak(1737, 600), workersForPeak(1737, 0), workersForPeak(1737, Number.NaN)])
      .toEqual([2, 1, 3, Number.NaN, Number.NaN]);
  });

  it('passes the worker at 1,000 msg/s and above, with the stand-in as its anchor and the CPU a message in the result', () => {
    const [worker, api, peak] = sendingResultRows(measured(2_000, 1_600));
    expect(worker).toMatchObject({ value: '1000', anchor: 'stand-in: 100', target: '≥ 1000 msg/s', kind: 'target', pass: true });
    expect(worker!.result).toContain('10.0× the stand-in');
    expect(worker!.result).toContain('800 µs CPU a message: 1250 msg/s on a core of its own (SENDING_CONCURRENCY=50, SENDING_SMTP_MAX_CONNECTIONS=10); the SMTP server\'s CPU a message: 450 µs');
    expect(sendingResultRows(measured(2_100, 1_600))[0]).toMatchObject({ value: '952', pass: false });
    expect(api).toMatchObject({ value: '500', kind: 'info', pass: null });
    expect(peak).toMatchObject({ value: '2', kind: 'info', pass: null });
    expect(peak!.result).toContain('2 at this run\'s wall rate');
  });

  it('gives every row without a verdict, saying why, when it could not run; the extra measure is named sending', () => {
    expect(sendingResultRows(null, 'no MariaDB').map((r) => [r.pass, r.result])).toEqual(new Array(3).fill([null, 'not measured: no MariaDB']));
    const entry = EXTRA_MEASURES.find((e) => e.name === 'sending')!;
    expect(entry.notMeasured('no Redis')[0]).toMatchObject({ pass: null, result: 'not measured: no Redis', kind: 'target' });
  });
});
