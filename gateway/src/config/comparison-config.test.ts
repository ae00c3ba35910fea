// The `comparison` block of the schema (docs/architecture.md §6): its defaults, and bad values listed with their path.
import { problemsOfFile as problemsOf } from './config-test-kit.ts';
import { loadConfig } from './load.ts';

describe('comparison configuration', () => {
  it('has its defaults without a file', () => {
    expect(loadConfig({}).comparison).toEqual({
      captureBodyBytes: 262_144,
      maxDifferences: 50,
      maxValueChars: 512,
      maxStoredBodyChars: 4_096,
      store: { maxRecordsPerRoute: 200, redisKeyPrefix: 'strangler:diffs:', redisCommandTimeoutMs: 500 },
    });
  });

  it('has the shadow defaults without a file', () => {
    expect(loadConfig({}).shadow).toEqual({ deadlineMs: 1_000, maxInFlight: 64, connections: 32 });
  });

  it('lists a bad shadow value with its path', () => {
    expect(problemsOf({ shadow: { deadlineMs: 0, maxInFlight: 0 } })).toEqual([
      'shadow.deadlineMs: Too small: expected number to be >0',
      'shadow.maxInFlight: Too small: expected number to be >=1',
    ]);
  });

  it('lists every bad value with its path', () => {
    expect(problemsOf({ comparison: { captureBodyBytes: -1, maxDifferences: 0, store: { redisKeyPrefix: 'has space', redisCommandTimeoutMs: 0, extra: 1 } } })).toEqual([
      'comparison.captureBodyBytes: Too small: expected number to be >=0',
      'comparison.maxDifferences: Too small: expected number to be >=1',
      'comparison.store.redisKeyPrefix: Letters, digits and ":._-", at most 64',
      'comparison.store.redisCommandTimeoutMs: Too small: expected number to be >0',
      'comparison.store.extra: Unknown key (allowed keys are in gateway/README.md § Configuration)',
    ]);
  });
});
