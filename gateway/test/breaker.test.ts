// Breaker scenarios as steps (docs/style.md §6, Skipper's breaker_test.go), with short timings.
import { request } from 'node:http';
import type { BreakerStateChange } from '../src/upstream/breaker.ts';
import { startHarness, type Echo, type Harness } from './support/harness.ts';

const RESET_TIMEOUT_MS = 150;
const config = {
  breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: RESET_TIMEOUT_MS, rollingCountTimeoutMs: 2000, rollingCountBuckets: 10 },
  tenants: [{ id: 'acme', hosts: ['acme.example'], legacyUrl: 'http://127.0.0.1:1' }],
};

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ config });
});
afterEach(async () => {
  await h.close();
});

async function pixel(id: string): Promise<{ status: number; upstream: string | null }> {
  const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif`, { headers: { 'x-request-id': id } });
  await res.arrayBuffer();
  return { status: res.status, upstream: res.headers.get('x-upstream') };
}

/** A pixel request with a Host header (fetch cannot set one). */
function pixelFor(host: string): Promise<{ status: number; upstream: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.gateway.publicUrl}/mtracking.gif`, { headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, upstream: res.headers['x-upstream'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

function nextState(state: BreakerStateChange['state']): Promise<BreakerStateChange> {
  return new Promise((resolve) => {
    const off = h.gateway.breakers.onStateChange((change) => {
      if (change.state === state) {
        off();
        resolve(change);
      }
    });
  });
}

describe('breaker of (tracking, default)', () => {
  it('opens after failures, sends the next request to legacy, then lets a probe through after resetTimeoutMs', async () => {
    // Given tracking.pixel is extracted and the tracking service fails
    await h.setFlag('tracking.pixel', 'extracted');
    h.tracking.behaviour = 'fail';
    const opened = nextState('open');

    // When three requests fail on tracking (each replayed on legacy: the pixel is replayable)
    for (const id of ['f1', 'f2', 'f3']) expect(await pixel(id)).toEqual({ status: 200, upstream: 'legacy' });
    expect(h.tracking.received).toHaveLength(3);

    // Then the breaker is open
    expect(await opened).toEqual({ upstream: 'tracking', tenant: 'default', state: 'open' });
    expect(h.gateway.breakers.state('tracking', 'default')).toBe('open');

    // And the next request goes to legacy with reason breaker-open, without touching tracking
    const halfOpen = nextState('half-open');
    expect(await pixel('open-1')).toEqual({ status: 200, upstream: 'legacy' });
    expect(h.tracking.received).toHaveLength(3);
    expect(await h.requestLine('open-1')).toMatchObject({ mode: 'extracted', reason: 'breaker-open', primary: 'legacy' });

    // When resetTimeoutMs has passed and tracking is healthy again
    await halfOpen;
    h.tracking.behaviour = 'echo';
    const closed = nextState('closed');

    // Then a probe goes to tracking, and the breaker closes
    expect(await pixel('probe')).toEqual({ status: 200, upstream: 'tracking' });
    await closed;
    expect(await pixel('after')).toEqual({ status: 200, upstream: 'tracking' });
    expect(await h.requestLine('after')).toMatchObject({ reason: 'flag', primary: 'tracking' });
    expect((await h.stats()).fallbacks).toEqual({ 'fallback-replay': 3, 'breaker-open': 1 });
  });

  it('sends a non-replayable POST to legacy while open (it was never delivered)', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    await h.setFlag('tracking.event', 'extracted');
    h.tracking.behaviour = 'fail';
    const opened = nextState('open');
    for (const id of ['f1', 'f2', 'f3']) await pixel(id);
    await opened;
    const res = await fetch(`${h.gateway.publicUrl}/mtc/event`, { method: 'POST', body: 'page_url=x', headers: { 'x-request-id': 'ev', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(((await res.json()) as Echo)).toMatchObject({ upstream: 'legacy', body: 'page_url=x' });
    expect(await h.requestLine('ev')).toMatchObject({ reason: 'breaker-open' });
    expect(h.tracking.received.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('a probe that fails opens the breaker again', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    h.tracking.behaviour = 'fail';
    const opened = nextState('open');
    for (const id of ['f1', 'f2', 'f3']) await pixel(id);
    await opened;
    await nextState('half-open');
    const reopened = nextState('open');
    expect(await pixel('probe')).toEqual({ status: 200, upstream: 'legacy' });
    await reopened;
    expect(h.tracking.received).toHaveLength(4);
  });
});

describe('one breaker per (new upstream, tenant)', () => {
  it('failures of one tenant open its breaker only', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    h.tracking.behaviour = 'fail';
    const opened = nextState('open');
    // acme's fallback goes to acme's own legacy, which is down here: 502 is acme's answer.
    for (let i = 0; i < 3; i++) expect(await pixelFor('acme.example')).toEqual({ status: 502, upstream: undefined });
    expect(await opened).toEqual({ upstream: 'tracking', tenant: 'acme', state: 'open' });
    h.tracking.behaviour = 'echo';
    expect(await pixelFor('main.example')).toEqual({ status: 200, upstream: 'tracking' });
    expect(h.gateway.breakers.state('tracking', 'default')).toBe('closed');
    const seen = h.tracking.received.length;
    expect(await pixelFor('acme.example')).toEqual({ status: 502, upstream: undefined });
    expect(h.tracking.received).toHaveLength(seen);
  });
});
