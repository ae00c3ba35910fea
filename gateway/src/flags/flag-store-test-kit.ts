/**
 * One behaviour suite for every FlagStore (Hono's common.case shape): the
 * memory store and the Redis store run the same cases, so the admin API
 * behaves alike on both. Test-only; called from each store's test file.
 */
import { isGatewayError } from '../errors.ts';
import { flagKey, type FlagStore } from './store.ts';

/** Makes a fresh, empty store and says how to dispose of it. */
export type MakeStore = () => Promise<{ store: FlagStore; dispose(): Promise<void> }>;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isGatewayError(err)) return err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** Registers the contract cases under `describe(name)`. */
export function describeFlagStoreContract(name: string, make: MakeStore): void {
  describe(`${name}: FlagStore contract`, () => {
    let store: FlagStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await make());
      await store.ready();
    });
    afterEach(async () => dispose());

    it('versions each change, tells from/to, action and origin, and keeps a revision per (route, tenant)', async () => {
      const first = await store.set({ routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 5 }, { who: 'alice', why: 'start' });
      expect(first).toMatchObject({ version: 1, who: 'alice', routeId: 'tracking.pixel', tenant: null, from: null, to: { mode: 'canary', percent: 5 }, why: 'start', origin: 'manual', action: 'set' });
      await store.set({ routeId: 'tracking.pixel', tenant: 'acme', mode: 'shadow' }, { who: 'guard', origin: 'automatic' });
      const removed = await store.remove('tracking.pixel', null, { who: 'alice' });
      expect(removed).toMatchObject({ version: 3, from: { mode: 'canary', percent: 5 }, to: null, action: 'remove', why: null });
      expect(await store.remove('tracking.pixel', null, { who: 'alice' })).toBeNull();
      expect(store.version).toBe(3);
      expect(store.snapshot().revisions?.get('*\u0000tracking.pixel')).toBe(3);
      expect(store.snapshot().revisions?.get('acme\u0000tracking.pixel')).toBe(2);
      // The guard's change is marked as the guard's (its requests carry reason guard-rollback).
      expect([...store.snapshot().flags.values()]).toEqual([{ routeId: 'tracking.pixel', tenant: 'acme', mode: 'shadow', setBy: 'guard' }]);
    });

    it('an operator setting the mode the guard set takes the mark away; a rollback restores the value as it was', async () => {
      await store.set({ routeId: 'tracking.event', tenant: null, mode: 'shadow' }, { who: 'guard', origin: 'automatic' });
      const mine = await store.set({ routeId: 'tracking.event', tenant: null, mode: 'shadow', setBy: 'guard' }, { who: 'alice' });
      expect(mine).toMatchObject({ from: { mode: 'shadow', setBy: 'guard' }, to: { mode: 'shadow' } });
      expect(store.snapshot().flags.get(flagKey('tracking.event', null))).toEqual({ routeId: 'tracking.event', tenant: null, mode: 'shadow' });
      await store.rollback('tracking.event', null, { who: 'alice' });
      expect(store.snapshot().flags.get(flagKey('tracking.event', null))).toEqual({ routeId: 'tracking.event', tenant: null, mode: 'shadow', setBy: 'guard' });
    });

    it('refuses a stale revision with 409 and writes nothing (two operators raced)', async () => {
      await store.set({ routeId: 'forms.submit', tenant: null, mode: 'shadow' }, { who: 'a', expectRevision: 0 });
      expect(await codeOf(store.set({ routeId: 'forms.submit', tenant: null, mode: 'extracted' }, { who: 'b', expectRevision: 0 }))).toBe('GW_ERR_ADMIN_VERSION_CONFLICT');
      expect(await codeOf(store.remove('forms.submit', null, { who: 'b', expectRevision: 7 }))).toBe('GW_ERR_ADMIN_VERSION_CONFLICT');
      await store.set({ routeId: 'forms.submit', tenant: null, mode: 'extracted' }, { who: 'b', expectRevision: 1 });
      expect(store.version).toBe(2);
      expect((await store.audit()).map((c) => c.who)).toEqual(['b', 'a']);
    });

    it('rolls back to the previous mode, the catalogue default included, and audits the rollback', async () => {
      expect(await codeOf(store.rollback('tracking.pixel', null, { who: 'a' }))).toBe('GW_ERR_ADMIN_NOTHING_TO_ROLL_BACK');
      await store.set({ routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 10 }, { who: 'a' });
      await store.set({ routeId: 'tracking.pixel', tenant: null, mode: 'extracted' }, { who: 'a' });
      const back = await store.rollback('tracking.pixel', null, { who: 'b', why: 'errors' });
      expect(back).toMatchObject({ version: 3, from: { mode: 'extracted' }, to: { mode: 'canary', percent: 10 }, action: 'rollback', who: 'b', why: 'errors' });
      await store.set({ routeId: 'forms.submit', tenant: 'acme', mode: 'shadow' }, { who: 'a' });
      expect(await store.rollback('forms.submit', 'acme', { who: 'a' })).toMatchObject({ to: null, action: 'rollback' });
      expect(store.snapshot().flags.has('acme\u0000forms.submit')).toBe(false);
      expect((await store.audit()).map((c) => c.action)).toEqual(['rollback', 'set', 'rollback', 'set', 'set']);
    });

    it('pages the audit newest first, filtered by route, tenant and time', async () => {
      for (const [routeId, tenant] of [['r1', null], ['r2', 'acme'], ['r1', 'acme'], ['r1', null], ['r1', null]] as const) {
        await store.set({ routeId, tenant, mode: 'extracted' }, { who: 'a' });
      }
      const first = await store.auditPage({ routeId: 'r1', limit: 2 });
      expect(first.entries.map((c) => c.version)).toEqual([5, 4]);
      const second = await store.auditPage({ routeId: 'r1', limit: 2, cursor: first.next as string });
      expect(second.entries.map((c) => c.version)).toEqual([3, 1]);
      expect(second.next).toBeNull();
      expect((await store.auditPage({ tenant: 'acme', limit: 10 })).entries.map((c) => c.version)).toEqual([3, 2]);
      expect((await store.auditPage({ tenant: null, routeId: 'r1', limit: 10 })).entries.map((c) => c.version)).toEqual([5, 4, 1]);
      expect((await store.auditPage({ since: new Date(Date.now() + 60_000), limit: 10 })).entries).toEqual([]);
      expect((await store.auditPage({ since: new Date(Date.now() - 60_000), limit: 10 })).entries).toHaveLength(5);
    });

    it('tells subscribers each change with the new snapshot', async () => {
      const seen: number[] = [];
      const unsubscribe = store.subscribe((s, c) => seen.push(s.version * 10 + (c?.version ?? 0)));
      await store.set({ routeId: 'a', tenant: null, mode: 'extracted' }, { who: 'a' });
      unsubscribe();
      await store.set({ routeId: 'b', tenant: null, mode: 'extracted' }, { who: 'a' });
      expect(seen).toEqual([11]);
    });

    it('lists itself in the fleet with the version it applied', async () => {
      await store.set({ routeId: 'a', tenant: null, mode: 'extracted' }, { who: 'a' });
      const fleet = await store.fleet();
      const me = fleet.replicas.find((r) => r.id === store.health().replica);
      expect(fleet.version).toBe(1);
      expect(me).toMatchObject({ version: 1, straggler: false });
      expect(store.health().connected).toBe(true);
    });
  });
}
