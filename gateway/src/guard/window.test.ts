import { RollingWindow, WINDOW_BUCKETS } from './window.ts';

// A 10 s window in 1 s buckets, driven by an explicit clock.
describe('RollingWindow', () => {
  const T0 = 1_000_000;

  it('sums what was added inside the window', () => {
    const w = new RollingWindow(10_000);
    w.addNew(T0, false, 10);
    w.addNew(T0 + 500, true);
    w.addLegacy(T0 + 2_000, 4);
    w.addComparison(T0 + 3_000, false);
    w.addComparison(T0 + 3_100, true);
    expect(w.totals(T0 + 3_500)).toEqual({
      newRequests: 2, newErrors: 1, newTimed: 1, newLatencySumMs: 10, legacyTimed: 1, legacyLatencySumMs: 4, comparisons: 2, mismatches: 1,
    });
  });

  it('drops a bucket once it is a whole window old, and keeps the newer ones', () => {
    const w = new RollingWindow(10_000);
    w.addNew(T0, true);
    w.addNew(T0 + 5_000, true);
    expect(w.totals(T0 + 9_999).newRequests).toBe(2);
    expect(w.totals(T0 + 10_000).newRequests).toBe(1);
    expect(w.totals(T0 + 15_000).newRequests).toBe(0);
  });

  it('reuses a slot for a later bucket without carrying the old counts', () => {
    const w = new RollingWindow(10_000);
    w.addNew(T0, true);
    w.addNew(T0 + 10_000 * 3, false, 7);
    expect(w.totals(T0 + 30_000)).toMatchObject({ newRequests: 1, newErrors: 0, newTimed: 1, newLatencySumMs: 7 });
  });

  it('ignores buckets ahead of the clock (a clock that stepped back)', () => {
    const w = new RollingWindow(10_000);
    w.addNew(T0 + 5_000, true);
    expect(w.totals(T0).newRequests).toBe(0);
  });

  it('forgets the new path and comparisons but keeps the legacy baseline', () => {
    const w = new RollingWindow(10_000);
    w.addNew(T0, true);
    w.addComparison(T0, false);
    w.addLegacy(T0, 3);
    w.forgetNewPath();
    expect(w.totals(T0)).toMatchObject({ newRequests: 0, newErrors: 0, comparisons: 0, mismatches: 0, legacyTimed: 1, legacyLatencySumMs: 3 });
  });

  it('splits the window into WINDOW_BUCKETS buckets', () => {
    const w = new RollingWindow(WINDOW_BUCKETS * 100);
    for (let i = 0; i < WINDOW_BUCKETS * 2; i += 1) w.addNew(T0 + i * 100, false, 1);
    expect(w.totals(T0 + (WINDOW_BUCKETS * 2 - 1) * 100).newRequests).toBe(WINDOW_BUCKETS);
  });
});
