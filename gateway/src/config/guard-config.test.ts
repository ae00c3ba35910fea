// The `guard` block of the schema and `routes.<routeId>.guard` (gateway/README.md § The guard): defaults, and bad values listed with their path.
import { problemsOfFile as problemsOf } from './config-test-kit.ts';
import { loadConfig } from './load.ts';

describe('guard configuration', () => {
  it('has its defaults without a file', () => {
    expect(loadConfig({}).guard).toEqual({
      enabled: true, maxErrorRatePercent: 5, maxLatencyRatio: 2, maxMismatchRatePercent: 5, minSample: 50, latencyFloorMs: 10,
      windowMs: 60_000, evaluationIntervalMs: 5_000, canaryPercent: 10, lockTtlMs: 10_000,
    });
  });

  it('takes a route\'s own thresholds, unset ones left to guard.*', () => {
    const config = loadConfig({ STRANGLER_CONFIG: '/cfg.json' }, () => JSON.stringify({ routes: { 'tracking.pixel': { guard: { minSample: 5, enabled: false } } } }));
    expect(config.routes['tracking.pixel']?.guard).toEqual({ minSample: 5, enabled: false });
  });

  it('lists every bad value with its path', () => {
    expect(problemsOf({
      guard: { maxErrorRatePercent: 101, maxLatencyRatio: 0.5, minSample: 0, canaryPercent: 12.345, windowMs: 0, extra: 1 },
      routes: { 'tracking.pixel': { guard: { windowMs: 1000 } } },
    })).toEqual([
      'routes.tracking.pixel.guard.windowMs: Unknown key (allowed keys are in gateway/README.md § Configuration)',
      'guard.maxErrorRatePercent: Too big: expected number to be <=100',
      'guard.maxLatencyRatio: Too small: expected number to be >=1',
      'guard.minSample: Too small: expected number to be >=1',
      'guard.windowMs: Too small: expected number to be >0',
      'guard.canaryPercent: At most two decimals (0.01 steps)',
      'guard.extra: Unknown key (allowed keys are in gateway/README.md § Configuration)',
    ]);
  });
});
