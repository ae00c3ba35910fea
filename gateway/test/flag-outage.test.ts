// Redis outages (gateway/README.md § Outages), each on a redis-server of its own: the data plane
// never waits on Redis, changes are refused with 503 while it is away, and everything resyncs
// when it is back.
import { Agent, fetch } from 'undici';
import { createRedisFlagStore } from '../src/flags/redis-store.ts';
import { startHarness, type Harness, type LogLine } from './support/harness.ts';
import { startOwnRedis, type OwnRedis } from './support/redis-server.ts';

const FLAGS = { heartbeatIntervalMs: 200, resyncIntervalMs: 200, redisCommandTimeoutMs: 1_000 };
let redis: OwnRedis;
const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  await redis?.dispose();
});

async function gateway(extraFlags: Record<string, unknown> = {}): Promise<Harness> {
  const h = await startHarness({ env: { REDIS_URL: redis.url, STRANGLER_REDIS_PREFIX: 'outage:' }, config: { admin: { host: '127.0.0.1' }, flags: { ...FLAGS, ...extraFlags } } });
  harnesses.push(h);
  return h;
}

const msg = (m: string) => (l: LogLine) => l.msg === m;
const applied = (version: number) => (l: LogLine) => l.msg === 'flag snapshot applied' && l.version === version;
const UNREACHABLE = msg('flag store unreachable: serving the last snapshot, changes refused');
const CONNECTED = msg('flag store connected');

/** At most this many requests in all: the loops stop by themselves even if the test never stops them. */
const MAX_REQUESTS = 20_000;

/** Steady, bounded traffic: `loops` clients sending one request after another until stopped, or MAX_REQUESTS. */
function traffic(url: string, loops = 2): { ok(): number; stop(): Promise<{ ok: number; failed: string[]; upstreams: Set<string> }> } {
  const dispatcher = new Agent({ connections: loops });
  let running = true;
  const result = { ok: 0, failed: [] as string[], upstreams: new Set<string>() };
  const loop = async (): Promise<void> => {
    while (running && result.ok + result.failed.length < MAX_REQUESTS) {
      try {
        const res = await fetch(`${url}/mtracking.gif`, { dispatcher });
        await res.arrayBuffer();
        if (res.status === 200) result.ok += 1;
        else result.failed.push(String(res.status));
        result.upstreams.add(res.headers.get('x-upstream') ?? '?');
      } catch (err) {
        result.failed.push(String(err));
      }
    }
  };
  const loops_ = Array.from({ length: loops }, loop);
  return {
    ok: () => result.ok,
    async stop() {
      running = false;
      await Promise.all(loops_);
      await dispatcher.close();
      return result;
    },
  };
}

it('Redis stopped and restarted under steady traffic: no failed request, changes refused with 503, then a correct resync', async () => {
  redis = await startOwnRedis();
  const [a, b] = [await gateway(), await gateway()];
  await Promise.all([a.nthLine(CONNECTED), b.nthLine(CONNECTED)]);
  await a.setFlag('tracking.pixel', 'extracted', { why: 'before the outage' });
  await b.nthLine(applied(1));
  const load = traffic(a.gateway.publicUrl);

  await redis.stop();
  await Promise.all([a.nthLine(UNREACHABLE), b.nthLine(UNREACHABLE)]);
  const servedBeforeOutage = load.ok();
  const refused = await a.admin('PUT', '/admin/routes/forms.submit/mode', { mode: 'shadow', reason: 'during the outage' });
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('GW_ERR_FLAGS_STORE_UNAVAILABLE');
  const ready = await fetch(`${b.gateway.adminUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ ready: true, degraded: true, flags: { connected: false, applied: true, version: 1 } });
  expect((await fetch(`${b.gateway.publicUrl}/mtracking.gif`)).headers.get('x-upstream')).toBe('tracking');

  // Each request logs a line: wait until 20 more were served with Redis down.
  await a.nthLine((l) => l.msg === 'request' && load.ok() > servedBeforeOutage + 20);
  await redis.start();
  await Promise.all([a.nthLine(CONNECTED, 2), b.nthLine(CONNECTED, 2)]);
  expect((await a.admin('PUT', '/admin/routes/tracking.pixel/mode', { mode: 'legacy', reason: 'after the outage' })).status).toBe(200);
  await b.nthLine(applied(2));
  const result = await load.stop();

  expect(result.failed).toEqual([]);
  expect(result.ok).toBeGreaterThan(10);
  expect((await fetch(`${b.gateway.publicUrl}/mtracking.gif`)).headers.get('x-upstream')).toBe('legacy');
  const audit = (await (await b.admin('GET', '/admin/audit')).json()) as { entries: { version: number; why: string }[] };
  expect(audit.entries.map((e) => [e.version, e.why])).toEqual([[2, 'after the outage'], [1, 'before the outage']]);
});

it('a replica started while Redis is down serves the catalogue defaults, reports degraded and not ready, then catches up', async () => {
  redis = await startOwnRedis();
  const seed = createRedisFlagStore({ url: redis.url, settings: { ...FLAGS, redisKeyPrefix: 'outage:', replicaTimeoutMs: 5_000, readyWithoutStore: false }, auditLimit: 100 });
  await seed.ready();
  await seed.set({ routeId: 'tracking.pixel', tenant: null, mode: 'extracted' }, { who: 'seed' });
  await seed.close();
  await redis.stop();

  const h = await gateway();
  const before = await fetch(`${h.gateway.adminUrl}/readyz`);
  expect(before.status).toBe(503);
  expect(await before.json()).toMatchObject({ ready: false, degraded: true, reasons: ['not flags applied'], flags: { store: 'redis', connected: false, applied: false, version: 0 } });
  const served = await fetch(`${h.gateway.publicUrl}/mtracking.gif`);
  expect([served.status, served.headers.get('x-upstream')]).toEqual([200, 'legacy']);

  await redis.start();
  await h.nthLine(CONNECTED);
  const after = await fetch(`${h.gateway.adminUrl}/readyz`);
  expect(after.status).toBe(200);
  expect(await after.json()).toMatchObject({ ready: true, degraded: false, flags: { connected: true, applied: true, version: 1 } });
  expect((await fetch(`${h.gateway.publicUrl}/mtracking.gif`)).headers.get('x-upstream')).toBe('tracking');
});

it('with flags.readyWithoutStore, that replica counts as ready while still degraded', async () => {
  redis = await startOwnRedis(false);
  const h = await gateway({ readyWithoutStore: true });
  const res = await fetch(`${h.gateway.adminUrl}/readyz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ ready: true, degraded: true, flags: { applied: false } });
});
