import { createMemoryFlagStore } from './memory-store.ts';
import { flagKey, type FlagChange, type FlagSnapshot } from './store.ts';
import { describeFlagStoreContract } from './flag-store-test-kit.ts';

const clock = () => new Date('2025-01-02T03:04:05.000Z');

describe('memory flag store', () => {
  it('starts empty at version 0 and is ready at once', async () => {
    const store = createMemoryFlagStore();
    await store.ready();
    expect(store.version).toBe(0);
    expect(store.snapshot().flags.size).toBe(0);
  });

  it('sets, replaces and removes flags, versioning each change', async () => {
    const store = createMemoryFlagStore({ now: clock });
    const first = await store.set({ routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 5 }, { who: 'alice', why: 'start' });
    expect(first).toEqual({ version: 1, at: '2025-01-02T03:04:05.000Z', who: 'alice', routeId: 'tracking.pixel', tenant: null, from: null, to: { mode: 'canary', percent: 5 }, why: 'start', origin: 'manual', action: 'set' });
    const second = await store.set({ routeId: 'tracking.pixel', tenant: null, mode: 'extracted' }, { who: 'admin' });
    expect(second).toMatchObject({ version: 2, from: { mode: 'canary', percent: 5 }, to: { mode: 'extracted' }, why: null });
    const removed = await store.remove('tracking.pixel', null, { who: 'admin', why: 'rollback' });
    expect(removed).toMatchObject({ version: 3, from: { mode: 'extracted' }, to: null, why: 'rollback' });
    expect(await store.remove('tracking.pixel', null, { who: 'admin' })).toBeNull();
    expect(store.version).toBe(3);
  });

  it('keeps old snapshots unchanged (the pipeline holds one while a change lands)', async () => {
    const store = createMemoryFlagStore();
    const before = store.snapshot();
    await store.set({ routeId: 'forms.submit', tenant: 'acme', mode: 'shadow' }, { who: 'admin' });
    expect(before.flags.size).toBe(0);
    expect(store.snapshot().flags.get(flagKey('forms.submit', 'acme'))).toEqual({ routeId: 'forms.submit', tenant: 'acme', mode: 'shadow' });
    expect(store.snapshot().flags.get(flagKey('forms.submit', null))).toBeUndefined();
    expect(Object.isFrozen(store.snapshot())).toBe(true);
  });

  it('tells subscribers synchronously, until they unsubscribe', async () => {
    const store = createMemoryFlagStore();
    const seen: [FlagSnapshot, FlagChange | null][] = [];
    const unsubscribe = store.subscribe((s, c) => seen.push([s, c]));
    await store.set({ routeId: 'a', tenant: null, mode: 'extracted' }, { who: 'admin' });
    unsubscribe();
    await store.set({ routeId: 'b', tenant: null, mode: 'extracted' }, { who: 'admin' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0].version).toBe(1);
    expect(seen[0]?.[1]?.routeId).toBe('a');
  });

  it('answers the audit newest first, bounded by limit and auditLimit', async () => {
    const store = createMemoryFlagStore({ auditLimit: 3 });
    for (const id of ['r1', 'r2', 'r3', 'r4']) await store.set({ routeId: id, tenant: null, mode: 'extracted' }, { who: 'admin' });
    expect((await store.audit()).map((c) => c.routeId)).toEqual(['r4', 'r3', 'r2']);
    expect((await store.audit(1)).map((c) => c.routeId)).toEqual(['r4']);
    expect(await store.audit(0)).toEqual([]);
  });

  it('starts from initial flags without auditing them', async () => {
    const store = createMemoryFlagStore({ initial: [{ routeId: 'x', tenant: null, mode: 'extracted' }] });
    expect(store.snapshot().flags.get(flagKey('x', null))?.mode).toBe('extracted');
    expect(await store.audit()).toEqual([]);
  });
});

describeFlagStoreContract('memory store', async () => {
  const store = createMemoryFlagStore();
  return { store, dispose: () => store.close() };
});
