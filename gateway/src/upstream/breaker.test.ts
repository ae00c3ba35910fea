import { once } from 'node:events';
import { text } from 'node:stream/consumers';
import { createBreakers } from './breaker.ts';
import { Cancel } from './cancel.ts';
import type { BreakerOptions, BreakerRun, BreakerStateChange, Breakers } from './breaker.ts';
import { createUpstream } from './client.ts';
import { closedPort, startPathScriptedUpstream } from '../../test/support/path-scripted-upstream.ts';
import type { PathScriptedUpstream } from '../../test/support/path-scripted-upstream.ts';
import type { Upstream, UpstreamResponse } from './types.ts';
import { GatewayError } from '../errors.ts';

// Scenario steps against a real path-scripted upstream (docs/style.md §6, Skipper breaker_test.go).
describe('breaker scenarios', () => {
  let server: PathScriptedUpstream;
  let client: Upstream;
  let breakers: Breakers;
  let changes: BreakerStateChange[];
  const options: BreakerOptions = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 100, rollingCountTimeoutMs: 1000 };

  beforeEach(async () => {
    server = await startPathScriptedUpstream();
    client = createUpstream({ name: 'tracking', url: server.url, headersTimeoutMs: 50 });
    breakers = createBreakers(options);
    changes = [];
    breakers.onStateChange((change) => changes.push(change));
  });

  afterEach(async () => {
    breakers.shutdown();
    await client.close();
    await server.close();
  });

  /** One request through the breaker of (tracking, tenant); drains a response body. */
  async function send(path: string, tenant = 'acme', cancel?: Cancel): Promise<BreakerRun<UpstreamResponse>> {
    const run = await breakers.run('tracking', tenant, () =>
      client.request({ method: 'GET', path, headers: {}, body: null, ...(cancel ? { cancel } : {}) }));
    if (run.outcome === 'response') await text(run.value.body);
    return run;
  }

  const statusOf = (run: BreakerRun<UpstreamResponse>): number | string =>
    run.outcome === 'response' ? run.value.statusCode : run.outcome;

  it('5xx responses open it; it rejects without sending; half-opens after resetTimeoutMs; a success closes it', async () => {
    // step 1: two failures are below the volume threshold: still closed, and the 500 still reaches the caller
    expect(statusOf(await send('/status/500'))).toBe(500);
    expect(statusOf(await send('/status/502'))).toBe(502);
    expect(breakers.state('tracking', 'acme')).toBe('closed');
    // step 2: the third failure crosses 50 % over 3 requests: open
    const opened = once(breakers.get('tracking', 'acme'), 'open').then(() => performance.now());
    expect(statusOf(await send('/status/503'))).toBe(503);
    const openedAt = await opened;
    expect(breakers.isOpen('tracking', 'acme')).toBe(true);
    // step 3: while open nothing is sent
    const seen = server.requests.length;
    expect(await send('/ok')).toEqual({ outcome: 'rejected' });
    expect(server.requests).toHaveLength(seen);
    // step 4: after resetTimeoutMs it lets one trial through
    await once(breakers.get('tracking', 'acme'), 'halfOpen');
    expect(performance.now() - openedAt).toBeGreaterThanOrEqual(95);
    expect(breakers.state('tracking', 'acme')).toBe('half-open');
    expect(breakers.isOpen('tracking', 'acme')).toBe(false);
    // step 5: the trial succeeds: closed
    expect(statusOf(await send('/ok'))).toBe(200);
    expect(breakers.state('tracking', 'acme')).toBe('closed');
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'closed']);
    expect(changes[0]).toEqual({ upstream: 'tracking', tenant: 'acme', state: 'open' });
  });

  it('half-open lets one trial through; when it fails, it opens again', async () => {
    for (let i = 0; i < 3; i += 1) await send('/status/500');
    await once(breakers.get('tracking', 'acme'), 'halfOpen');
    const trial = send('/hang-headers');
    // only one trial at a time: a second request while it runs is rejected
    expect(await send('/ok')).toEqual({ outcome: 'rejected' });
    const run = await trial;
    expect(run).toMatchObject({ outcome: 'failed', error: { side: 'headers-timeout' } });
    expect(breakers.state('tracking', 'acme')).toBe('open');
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'open']);
  });

  it('a half-open trial the client abandons is no verdict: open again, and the next trial decides', async () => {
    for (let i = 0; i < 3; i += 1) await send('/status/500');
    await once(breakers.get('tracking', 'acme'), 'halfOpen');
    // step 1: the trial's client leaves while the upstream has not answered
    const cancel = new Cancel();
    const trial = send('/hang-headers', 'acme', cancel);
    await waitForRequests(server.requests.length + 1);
    cancel.cancel(new Error('client closed the connection'));
    expect(await trial).toMatchObject({ outcome: 'failed', error: { side: 'client-aborted' } });
    // step 2: nothing was learnt about the upstream, so it does not get the traffic back
    expect(breakers.state('tracking', 'acme')).toBe('open');
    expect(await send('/ok')).toEqual({ outcome: 'rejected' });
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'open']);
    // step 3: after resetTimeoutMs another trial; it succeeds: closed
    await once(breakers.get('tracking', 'acme'), 'halfOpen');
    expect(statusOf(await send('/ok'))).toBe(200);
    expect(breakers.state('tracking', 'acme')).toBe('closed');
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  async function waitForRequests(count: number): Promise<void> {
    while (server.requests.length < count) await new Promise((resolve) => setImmediate(resolve));
  }

  it('upstream-side errors count: connection refused opens it', async () => {
    const dead = createUpstream({ name: 'tracking', url: `http://127.0.0.1:${await closedPort()}` });
    try {
      for (let i = 0; i < 3; i += 1) {
        const run = await breakers.run('tracking', 'acme', () => dead.request({ method: 'GET', path: '/', headers: {}, body: null }));
        expect(run).toMatchObject({ outcome: 'failed', error: { side: 'connect', delivered: false } });
      }
      expect(breakers.isOpen('tracking', 'acme')).toBe(true);
    } finally {
      await dead.close();
    }
  });

  it('client aborts never open it', async () => {
    for (let i = 0; i < 6; i += 1) {
      const gone = new Cancel();
      gone.cancel(new Error('client closed the connection'));
      const run = await send('/ok', 'acme', gone);
      expect(run).toMatchObject({ outcome: 'failed', error: { side: 'client-aborted' } });
    }
    expect(breakers.state('tracking', 'acme')).toBe('closed');
    expect(changes).toEqual([]);
  });

  it('4xx responses are successes', async () => {
    for (let i = 0; i < 6; i += 1) expect(statusOf(await send('/status/404'))).toBe(404);
    expect(breakers.state('tracking', 'acme')).toBe('closed');
  });

  it('keeps one breaker per (upstream, tenant)', async () => {
    for (let i = 0; i < 3; i += 1) await send('/status/500', 'acme');
    expect(breakers.isOpen('tracking', 'acme')).toBe(true);
    expect(breakers.isOpen('tracking', 'globex')).toBe(false);
    expect(statusOf(await send('/ok', 'globex'))).toBe(200);
    expect(breakers.get('tracking', 'acme')).toBe(breakers.get('tracking', 'acme'));
    expect(breakers.get('tracking', 'acme')).not.toBe(breakers.get('forms', 'acme'));
  });

  it('a breaker never used is closed', () => {
    expect(breakers.state('sending', 'nobody')).toBe('closed');
    expect(breakers.isOpen('sending', 'nobody')).toBe(false);
  });

  it('after shutdown a run fails without calling', async () => {
    breakers.shutdown();
    let called = false;
    const run = await breakers.run('tracking', 'acme', async () => {
      called = true;
      return { statusCode: 200 };
    });
    expect(run).toMatchObject({ outcome: 'failed', error: { code: 'ESHUTDOWN' } });
    expect(called).toBe(false);
  });
});

describe('breaker options', () => {
  it.each([
    [{ errorThresholdPercentage: 0 }, /errorThresholdPercentage must be an integer from 1 to 100/],
    [{ errorThresholdPercentage: 101 }, /errorThresholdPercentage/],
    [{ resetTimeoutMs: -5 }, /resetTimeoutMs/],
    [{ volumeThreshold: 1.5 }, /volumeThreshold/],
    [{ rollingCountTimeoutMs: 1000, rollingCountBuckets: 3 }, /multiple of rollingCountBuckets/],
  ])('rejects %j', (opts, message) => {
    let caught: unknown;
    try {
      createBreakers(opts);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('GW_ERR_CONFIG_INVALID');
    expect((caught as GatewayError).message).toMatch(message);
  });

  it('accepts the defaults', () => {
    const breakers = createBreakers();
    expect(breakers.state('tracking', 'default')).toBe('closed');
    breakers.shutdown();
  });
});
