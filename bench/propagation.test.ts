// The propagation row's verdict: p99 against 100 ms, and only over at least 200 changes.
import { propagationRow } from './propagation.ts';
import { summarize } from './stats.ts';

describe('propagationRow', () => {
  it.each<[string, number, number[], boolean | null]>([
    ['fast over 200 changes', 200, Array.from({ length: 200 }, (_, i) => 1 + (i % 5)), true],
    ['p99 above 100 ms', 200, Array.from({ length: 200 }, (_, i) => (i < 190 ? 2 : 150)), false],
    ['too few changes', 50, Array.from({ length: 50 }, () => 1), false],
  ])('%s', (_name, changes, samples, pass) => {
    const row = propagationRow({ changes, latency: summarize(samples) });
    expect(row.pass).toBe(pass);
    expect(row.target).toBe('≤ 100 ms');
    expect(row.result).toContain(`over ${changes} changes`);
  });

  it('says "not measured" without a verdict when nothing ran', () => {
    expect(propagationRow(null)).toMatchObject({ value: 'not measured', pass: null });
  });
});
