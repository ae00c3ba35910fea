import { createMemoryFlagStore } from '../flags/memory-store.ts';
import type { FlagSnapshot } from '../flags/store.ts';
import { createTestCatalogue } from '../../test/support/test-catalogue.ts';
import { resolve } from './resolve.ts';
import type { Flag } from '../model.ts';

const catalogue = createTestCatalogue();
const pixel = catalogue.byId('tracking.pixel')!;

function snapshotOf(flags: Flag[]): FlagSnapshot {
  return createMemoryFlagStore({ initial: flags }).snapshot();
}

describe('resolve: tenant flag > global flag > catalogue default', () => {
  it.each<[string, Flag[], string, object]>([
    ['no flag: legacy by default', [], 'default', { mode: 'legacy', reason: 'default', primary: 'legacy' }],
    ['global extracted', [{ routeId: 'tracking.pixel', tenant: null, mode: 'extracted' }], 'default', { mode: 'extracted', reason: 'flag', primary: 'tracking' }],
    ['tenant override wins', [
      { routeId: 'tracking.pixel', tenant: null, mode: 'extracted' },
      { routeId: 'tracking.pixel', tenant: 'acme', mode: 'legacy' },
    ], 'acme', { mode: 'legacy', reason: 'tenant-override', primary: 'legacy' }],
    ['another tenant keeps the global flag', [
      { routeId: 'tracking.pixel', tenant: null, mode: 'extracted' },
      { routeId: 'tracking.pixel', tenant: 'acme', mode: 'legacy' },
    ], 'default', { mode: 'extracted', reason: 'flag', primary: 'tracking' }],
    ['shadow: legacy answers, the decision names the shadow', [{ routeId: 'tracking.pixel', tenant: null, mode: 'shadow' }], 'default', { mode: 'shadow', reason: 'flag', primary: 'legacy', shadow: 'tracking' }],
    ['canary 100%: in', [{ routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 100 }], 'default', { mode: 'canary', reason: 'bucket', primary: 'tracking' }],
    ['canary 0%: out', [{ routeId: 'tracking.pixel', tenant: 'acme', mode: 'canary', percent: 0 }], 'acme', { mode: 'canary', reason: 'bucket-out', primary: 'legacy' }],
    ['a flag the guard set by stepping back', [{ routeId: 'tracking.pixel', tenant: 'acme', mode: 'shadow', setBy: 'guard' }], 'acme', { mode: 'shadow', reason: 'guard-rollback', primary: 'legacy' }],
    ['a canary the guard set: the bucket decides', [{ routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 100, setBy: 'guard' }], 'default', { mode: 'canary', reason: 'bucket', primary: 'tracking' }],
    ['flag of another route does not apply', [{ routeId: 'forms.submit', tenant: null, mode: 'extracted' }], 'default', { mode: 'legacy', reason: 'default', primary: 'legacy' }],
  ])('%s', (_name, flags, tenantId, expected) => {
    const decision = resolve({ route: pixel, tenantId, snapshot: snapshotOf(flags), stickyKey: () => 'device:abc' });
    expect(decision).toMatchObject(expected);
  });

  it('computes the sticky key only in canary', () => {
    const stickyKey = jest.fn(() => 'device:abc');
    resolve({ route: pixel, tenantId: 'default', snapshot: snapshotOf([{ routeId: 'tracking.pixel', tenant: null, mode: 'extracted' }]), stickyKey });
    expect(stickyKey).not.toHaveBeenCalled();
    const d = resolve({ route: pixel, tenantId: 'default', snapshot: snapshotOf([{ routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 50 }]), stickyKey });
    expect(stickyKey).toHaveBeenCalledTimes(1);
    expect(d.bucket).toEqual(expect.any(Number));
  });

  it('gives pixel, event and click of one contact the same side (one journey group)', () => {
    const flags: Flag[] = ['tracking.pixel', 'tracking.event', 'tracking.click'].map((routeId) => ({ routeId, tenant: null, mode: 'canary', percent: 50 }));
    const snapshot = snapshotOf(flags);
    for (let i = 0; i < 200; i++) {
      const key = `device:d${i}`;
      const sides = ['tracking.pixel', 'tracking.event', 'tracking.click'].map((id) => resolve({ route: catalogue.byId(id)!, tenantId: 'default', snapshot, stickyKey: () => key }));
      expect(new Set(sides.map((d) => d.primary)).size).toBe(1);
      expect(new Set(sides.map((d) => d.bucket)).size).toBe(1);
    }
  });

  it('keeps a stored non-legacy flag on a legacy-only route on legacy (no-upstream)', () => {
    const route = catalogue.byId('legacy.admin')!;
    const d = resolve({ route, tenantId: 'default', snapshot: snapshotOf([{ routeId: 'legacy.admin', tenant: null, mode: 'extracted' }]), stickyKey: () => 'x' });
    expect(d).toEqual({ mode: 'extracted', reason: 'no-upstream', primary: 'legacy' });
  });
});
