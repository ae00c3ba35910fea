// The Redis flag store against a real Redis: the shared one (a fresh key prefix per test) for the
// contract and propagation, and a redis-server of our own for the outage cases.
import { EventEmitter, once } from 'node:events';
import { Redis } from 'ioredis';
import { deletePrefix, startOwnRedis, uniquePrefix, type OwnRedis } from '../../test/support/redis-server.ts';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { isGatewayError } from '../errors.ts';
import { redisKeys } from './redis-keys.ts';
import { createRedisFlagStore, type RedisStoreEvent } from './redis-store.ts';
import { describeFlagStoreContract } from './flag-store-test-kit.ts';
import type { FlagStore } from './store.ts';

const settings = (redisKeyPrefix: string, replicaId: string) => ({
  redisKeyPrefix, replicaId, redisCommandTimeoutMs: 1_000, heartbeatIntervalMs: 1_000, resyncIntervalMs: 50, replicaTimeoutMs: 5_000, readyWithoutStore: false,
});

/** A store plus its events as an emitter. */
function openStore(url: string, prefix: string, replicaId = 'r1'): { store: FlagStore; events: EventEmitter; seen: RedisStoreEvent[] } {
  const events = new EventEmitter();
  const seen: RedisStoreEvent[] = [];
  const store = createRedisFlagStore({ url, settings: settings(prefix, replicaId), auditLimit: 1_000, onEvent: (e) => (seen.push(e), events.emit(e.kind, e)) });
  return { store, events, seen };
}

/** Resolves when `store` has applied `version`. */
function applied(store: FlagStore, version: number): Promise<void> {
  if (store.version >= version) return Promise.resolve();
  return new Promise((resolve) => {
    const off = store.subscribe((s) => s.version >= version && (off(), resolve()));
  });
}

describeWithRedis('redis flag store', () => {
  const url = testRedisUrl as string;

  describeFlagStoreContract('redis store', async () => {
    const prefix = uniquePrefix('contract');
    const { store } = openStore(url, prefix);
    return { store, dispose: async () => (await store.close(), await deletePrefix(url, prefix)) };
  });

  describe('across replicas', () => {
    const prefix = uniquePrefix('replicas');
    const stores: FlagStore[] = [];
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await deletePrefix(url, prefix);
    });

    it('applies a change made through one replica on the others, with its audit entry', async () => {
      const [a, b] = [openStore(url, prefix, 'a').store, openStore(url, prefix, 'b').store];
      stores.push(a, b);
      await Promise.all([a.ready(), b.ready()]);
      await a.set({ routeId: 'tracking.pixel', tenant: 'acme', mode: 'canary', percent: 2.5 }, { who: 'alice', why: 'ramp' });
      await applied(b, 1);
      expect([...b.snapshot().flags.values()]).toEqual([{ routeId: 'tracking.pixel', tenant: 'acme', mode: 'canary', percent: 2.5 }]);
      expect((await b.audit())[0]).toMatchObject({ who: 'alice', why: 'ramp', tenant: 'acme', to: { mode: 'canary', percent: 2.5 } });
      const fleet = await b.fleet();
      expect(fleet.replicas.map((r) => r.id)).toEqual(['a', 'b']);
    });

    it('picks up a change whose message was lost, by the periodic version check', async () => {
      const { store } = openStore(url, prefix, 'a');
      stores.push(store);
      await store.ready();
      const keys = redisKeys(prefix);
      const raw = new Redis(url);
      // Written as the change script would, but never published.
      await raw.multi().hset(keys.modes, 'acme/forms.submit', '{"mode":"extracted"}').hset(keys.revisions, 'acme/forms.submit', '1').incr(keys.version).exec();
      raw.disconnect();
      await applied(store, 1);
      expect(store.snapshot().flags.get('acme\u0000forms.submit')?.mode).toBe('extracted');
    });

    it('skips and reports a stored value that does not parse, and applies the rest', async () => {
      const keys = redisKeys(prefix);
      const raw = new Redis(url);
      await raw.multi().hset(keys.modes, '*/a', '{"mode":"canary"}', '*/b', 'nonsense', 'nofield', '{"mode":"legacy"}', '*/c', '{"mode":"shadow"}').set(keys.version, '3').exec();
      raw.disconnect();
      const { store, seen } = openStore(url, prefix, 'a');
      stores.push(store);
      await store.ready();
      expect([...store.snapshot().flags.keys()]).toEqual(['*\u0000c']);
      expect(seen.filter((e) => e.kind === 'bad-entry').map((e) => (e as { where: string }).where.split(' ')[1])).toEqual(['*/a', '*/b', 'nofield']);
    });
  });
});

describe('redis flag store through an outage (its own redis-server)', () => {
  let redis: OwnRedis;
  const stores: FlagStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await redis?.dispose();
  });

  it('keeps its snapshot, refuses writes at once with 503, and resyncs when Redis is back', async () => {
    redis = await startOwnRedis();
    const a = openStore(redis.url, 'p:', 'a');
    const b = openStore(redis.url, 'p:', 'b');
    stores.push(a.store, b.store);
    await Promise.all([a.store.ready(), b.store.ready()]);
    await a.store.set({ routeId: 'tracking.pixel', tenant: null, mode: 'extracted' }, { who: 'alice' });
    await applied(b.store, 1);
    const down = once(b.events, 'disconnected');
    await redis.stop();
    await down;
    expect(b.store.health().connected).toBe(false);
    expect(b.store.snapshot().flags.get('*\u0000tracking.pixel')?.mode).toBe('extracted');
    const started = Date.now();
    const refused = await b.store.set({ routeId: 'forms.submit', tenant: null, mode: 'shadow' }, { who: 'bob' }).catch((e: unknown) => e);
    expect(isGatewayError(refused) && refused.code).toBe('GW_ERR_FLAGS_STORE_UNAVAILABLE');
    expect(isGatewayError(refused) && refused.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(300);
    const backA = once(a.events, 'connected');
    const backB = once(b.events, 'connected');
    await redis.start();
    await Promise.all([backA, backB]);
    await a.store.set({ routeId: 'forms.submit', tenant: null, mode: 'shadow' }, { who: 'alice' });
    await applied(b.store, 2);
    expect(b.store.snapshot().flags.size).toBe(2);
    expect((await b.store.audit()).map((c) => c.version)).toEqual([2, 1]);
  });

  it('started while Redis is down: serves the empty snapshot, not ready, then catches up', async () => {
    redis = await startOwnRedis();
    const writer = openStore(redis.url, 'p:', 'w');
    stores.push(writer.store);
    await writer.store.ready();
    await writer.store.set({ routeId: 'tracking.pixel', tenant: null, mode: 'extracted' }, { who: 'alice' });
    await writer.store.close();
    stores.pop();
    await redis.stop();
    const late = openStore(redis.url, 'p:', 'late');
    stores.push(late.store);
    let isReady = false;
    void late.store.ready().then(() => (isReady = true));
    expect(late.store.snapshot().version).toBe(0);
    expect(late.store.health().connected).toBe(false);
    await redis.start();
    await late.store.ready();
    expect(isReady).toBe(true);
    expect(late.store.snapshot().flags.get('*\u0000tracking.pixel')?.mode).toBe('extracted');
  });
});
