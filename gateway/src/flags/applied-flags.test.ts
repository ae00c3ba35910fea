import { followFlagStore } from './applied-flags.ts';
import { createMemoryFlagStore } from './memory-store.ts';
import type { FlagStore } from './store.ts';

describe('followFlagStore', () => {
  it('applies the first snapshot once the store is ready, then swaps on every change', async () => {
    const store = createMemoryFlagStore({ initial: [{ routeId: 'a', tenant: null, mode: 'extracted' }] });
    const applied: number[] = [];
    const flags = followFlagStore(store, (s) => applied.push(s.version));
    expect(flags.applied).toBe(false);
    expect(flags.current().flags.size).toBe(0);
    await flags.firstApplied;
    expect(flags.applied).toBe(true);
    const first = flags.current();
    expect(first.flags.size).toBe(1);
    await store.set({ routeId: 'b', tenant: null, mode: 'shadow' }, { who: 'admin' });
    expect(flags.current().version).toBe(1);
    expect(first.flags.size).toBe(1);
    flags.stop();
    await store.set({ routeId: 'c', tenant: null, mode: 'shadow' }, { who: 'admin' });
    expect(flags.current().version).toBe(1);
    expect(applied).toEqual([0, 1]);
  });

  it('stays unapplied (catalogue defaults) when the store never becomes ready', async () => {
    const memory = createMemoryFlagStore();
    const broken: FlagStore = { ...memory, ready: () => Promise.reject(new Error('redis down')), get version() { return 0; } };
    const flags = followFlagStore(broken);
    await expect(flags.firstApplied).rejects.toThrow('redis down');
    expect(flags.applied).toBe(false);
    expect(flags.current().flags.size).toBe(0);
  });
});
