import { deadUpstreamRows } from './dead-upstream.ts';
import type { WrkResult } from './wrk.ts';

const wrk = (requestsPerSec: number, non2xx = 0): WrkResult => ({ requestsPerSec, requests: requestsPerSec * 6, non2xx, socketErrors: 0, latencyMs: { p50: 1, p90: 2, p99: 3 } });

describe('deadUpstreamRows', () => {
  it('passes at half the healthy figure or more, and an opening within a second', () => {
    const rows = deadUpstreamRows({ healthy: wrk(8000), dead: wrk(4000), openMs: 290 });
    expect(rows.map((r) => [r.result, r.pass])).toEqual([['50.0 % of healthy', true], ['290 ms', true]]);
  });

  it('fails below half, on errors through the fallback, and when the breaker never opened', () => {
    expect(deadUpstreamRows({ healthy: wrk(8000), dead: wrk(3000), openMs: 100 })[0]?.pass).toBe(false);
    expect(deadUpstreamRows({ healthy: wrk(8000), dead: wrk(8000, 3), openMs: 100 })[0]).toMatchObject({ pass: false, result: '100.0 % of healthy; errors: 3 non-2xx, 0 socket' });
    expect(deadUpstreamRows({ healthy: wrk(8000), dead: wrk(8000), openMs: Number.NaN })[1]).toMatchObject({ pass: false, result: 'never opened' });
  });

  it('says why when it could not measure', () => {
    expect(deadUpstreamRows({ missing: 'npm run build failed' }).map((r) => r.pass)).toEqual([null, null]);
  });
});
