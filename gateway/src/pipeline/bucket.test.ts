import { BUCKET_COUNT, bucketOf, isInCanary } from './bucket.ts';

const keys = Array.from({ length: 10_000 }, (_, i) => `device:${i.toString(36)}k${i}`);

describe('canary buckets (docs/architecture.md §3)', () => {
  it('is stable: the same (group, key) always gives the same bucket', () => {
    expect(bucketOf('tracking.journey', 'device:abc')).toBe(bucketOf('tracking.journey', 'device:abc'));
    // Pinned so a change of hash (which would move every contact) fails loudly.
    expect([bucketOf('g', 'k'), bucketOf('tracking.journey', 'contact:123'), bucketOf('tracking.journey', 'device:abc')]).toEqual([7138, 7259, 3368]);
  });

  it('depends on the journey group', () => {
    const differ = keys.slice(0, 100).filter((k) => bucketOf('a', k) !== bucketOf('b', k)).length;
    expect(differ).toBeGreaterThan(90);
  });

  it.each([0.5, 1, 5, 12.34, 50, 99])('puts %p%% of 10,000 keys in the canary, within ±1 point', (percent) => {
    const inside = keys.filter((k) => isInCanary(bucketOf('tracking.journey', k), percent)).length;
    expect(Math.abs((inside / keys.length) * 100 - percent)).toBeLessThanOrEqual(1);
  });

  it('0% lets nobody in, 100% everybody', () => {
    expect(keys.some((k) => isInCanary(bucketOf('g', k), 0))).toBe(false);
    expect(keys.every((k) => isInCanary(bucketOf('g', k), 100))).toBe(true);
  });

  it('raising the percent keeps everyone already in', () => {
    const steps = [0.01, 1, 5, 5.5, 25, 50, 99.99, 100];
    for (let i = 1; i < steps.length; i++) {
      const before = keys.filter((k) => isInCanary(bucketOf('g', k), steps[i - 1] as number));
      expect(before.every((k) => isInCanary(bucketOf('g', k), steps[i] as number))).toBe(true);
    }
  });

  it('stays within 0–9999 and uses 0.01-point steps exactly', () => {
    for (const k of keys.slice(0, 1000)) {
      const b = bucketOf('g', k);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(BUCKET_COUNT);
    }
    expect(isInCanary(28, 0.29)).toBe(true);
    expect(isInCanary(29, 0.29)).toBe(false);
    expect(isInCanary(0, 0.01)).toBe(true);
    expect(isInCanary(1, 0.01)).toBe(false);
  });
});
