// A new upstream killed under load (issue #10 §1), as scenario steps: a real tracking process,
// steady concurrent load on a replayable route, SIGKILL, then the breaker must open within a
// handful of failures while no client sees an error and requests keep flowing.
import type { BreakerStateChange } from '../src/upstream/breaker.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { startUpstreamProcess, type UpstreamProcess } from './support/upstream-process.ts';

const CONSECUTIVE_FAILURES = 5;
const CONCURRENCY = 16;

let h: Harness;
let tracking: UpstreamProcess;
beforeEach(async () => {
  tracking = await startUpstreamProcess('tracking');
  h = await startHarness({
    env: { TRACKING_URL: tracking.url },
    // The rate alone cannot open it here: the window is long and full of successes.
    config: { breaker: { consecutiveFailures: CONSECUTIVE_FAILURES, volumeThreshold: 10, errorThresholdPercentage: 50, rollingCountTimeoutMs: 60_000, rollingCountBuckets: 10, resetTimeoutMs: 60_000 } },
  });
});
afterEach(async () => {
  await h.close();
  await tracking.kill();
});

/** CONCURRENCY clients sending pixels back to back until `stop()`; every answer is recorded. */
function load(url: string): { answers: Array<{ status: number; upstream: string | null }>; stop(): Promise<void> } {
  const answers: Array<{ status: number; upstream: string | null }> = [];
  let running = true;
  const loops = Array.from({ length: CONCURRENCY }, async () => {
    while (running) {
      const res = await fetch(url);
      await res.arrayBuffer();
      answers.push({ status: res.status, upstream: res.headers.get('x-upstream') });
    }
  });
  return { answers, stop: async () => void ((running = false), await Promise.all(loops)) };
}

/** Resolves once `answers` holds `count` entries. */
async function until(answers: readonly unknown[], count: number): Promise<void> {
  while (answers.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
}

it('a killed new upstream opens its breaker within a handful of failures; clients see no error; requests keep flowing', async () => {
  // Given tracking.pixel is extracted and CONCURRENCY clients load it through a healthy tracking process
  await h.setFlag('tracking.pixel', 'extracted');
  const opened = new Promise<BreakerStateChange>((resolve) => h.gateway.breakers.onStateChange((c) => c.state === 'open' && resolve(c)));
  const traffic = load(`${h.gateway.publicUrl}/mtracking.gif`);
  await until(traffic.answers, 200);
  expect(traffic.answers.filter((a) => a.upstream === 'tracking').length).toBeGreaterThan(100);

  // When the tracking process is killed
  await tracking.kill();
  const killedAt = traffic.answers.length;

  // Then its breaker opens, and requests keep being answered (by legacy) afterwards
  expect(await opened).toEqual({ upstream: 'tracking', tenant: 'default', state: 'open' });
  const openedAt = traffic.answers.length;
  await until(traffic.answers, openedAt + 300);
  await traffic.stop();

  // No client saw an error: every failed pixel went to legacy (replayed, or never delivered)
  expect(traffic.answers.filter((a) => a.status !== 200)).toEqual([]);
  expect(traffic.answers.slice(openedAt + CONCURRENCY).every((a) => a.upstream === 'legacy')).toBe(true);
  // At most N failures reached the dead upstream: the run that opened it, plus those already in flight
  const stats = await h.stats();
  const failures = (stats.fallbacks['fallback-connect-error'] ?? 0) + (stats.fallbacks['fallback-replay'] ?? 0);
  expect(failures).toBeGreaterThanOrEqual(1);
  expect(failures).toBeLessThanOrEqual(CONSECUTIVE_FAILURES + CONCURRENCY);
  expect(stats.fallbacks['breaker-open']).toBeGreaterThanOrEqual(300 - CONCURRENCY);
  expect(stats.errors).toEqual({});
  expect(killedAt).toBeGreaterThanOrEqual(200);
});
