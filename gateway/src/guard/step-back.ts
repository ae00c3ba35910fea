/**
 * The guard's one action: move (route, tenant) one stage back through the
 * flag store, under the lock, audited as `guard` / automatic with the
 * evidence. The store's revision check makes a stale decision harmless: a
 * replica that judged a mode someone (or another replica) has changed since
 * is refused (409) and writes nothing.
 */
import { isGatewayError } from '../errors.ts';
import type { Flag } from '../model.ts';
import { flagKey, revisionOf, type FlagChange, type FlagSnapshot, type FlagStore } from '../flags/store.ts';
import { stageBefore, type Stage } from './decide.ts';
import type { GuardLock } from './lock.ts';

/** `who` of the guard's audit entries. */
export const GUARD_WHO = 'guard';

/** Where the mode of (route, tenant) comes from, and what it is. */
export interface EffectiveStage extends Stage {
  readonly source: 'tenant-override' | 'flag' | 'default';
}

/** The mode (route, tenant) is served in with `snapshot`: its tenant flag, else the global flag, else legacy. */
export function effectiveStage(snapshot: FlagSnapshot, routeId: string, tenant: string): EffectiveStage {
  const own = snapshot.flags.get(flagKey(routeId, tenant));
  const flag = own ?? snapshot.flags.get(flagKey(routeId, null));
  if (!flag) return { mode: 'legacy', source: 'default' };
  return { mode: flag.mode, ...(flag.percent === undefined ? {} : { percent: flag.percent }), source: own ? 'tenant-override' : 'flag' };
}

/** How one attempt ended. */
export type StepBackResult =
  | { readonly kind: 'acted'; readonly change: FlagChange; readonly from: Stage; readonly to: Stage }
  /** Another replica holds the lock of this (route, tenant). */
  | { readonly kind: 'lock-busy' }
  /** The mode changed since it was judged (seen before writing). */
  | { readonly kind: 'stale' }
  /** The store refused the change: another change landed first (409). */
  | { readonly kind: 'refused'; readonly code: string }
  /** The lock or the store could not be reached, or failed otherwise. */
  | { readonly kind: 'failed'; readonly detail: string };

/** What `stepBack` needs. */
export interface StepBackInput {
  readonly store: FlagStore;
  readonly lock: GuardLock;
  readonly lockTtlMs: number;
  readonly routeId: string;
  readonly tenant: string;
  /** The stage that was judged. */
  readonly judged: Stage;
  readonly canaryPercent: number;
  /** The audit entry's `why`, given the step. */
  readonly why: (from: Stage, to: Stage) => string;
}

/**
 * Writes the step back as a tenant flag: the evidence is this tenant's, so a mode that comes from the
 * global flag is overridden for this tenant only, never for the others.
 *
 * @example await stepBack({ store, lock, lockTtlMs: 10_000, routeId: 'tracking.pixel', tenant: 'default', judged: { mode: 'canary', percent: 50 }, canaryPercent: 10, why })
 */
export async function stepBack(input: StepBackInput): Promise<StepBackResult> {
  const { store, lock, routeId, tenant } = input;
  const key = `${tenant}/${routeId}`;
  let token: string | null;
  try {
    token = await lock.acquire(key, input.lockTtlMs);
  } catch (err) {
    return { kind: 'failed', detail: `lock: ${(err as Error).message}` };
  }
  if (token === null) return { kind: 'lock-busy' };
  try {
    const snapshot = store.snapshot();
    const from = effectiveStage(snapshot, routeId, tenant);
    if (from.mode !== input.judged.mode || from.percent !== input.judged.percent) return { kind: 'stale' };
    const to = stageBefore(from, input.canaryPercent);
    const flag: Flag = { routeId, tenant, mode: to.mode, ...(to.percent === undefined ? {} : { percent: to.percent }) };
    const change = await store.set(flag, { who: GUARD_WHO, why: input.why(from, to), origin: 'automatic', expectRevision: revisionOf(snapshot, routeId, tenant) });
    return { kind: 'acted', change, from: { mode: from.mode, ...(from.percent === undefined ? {} : { percent: from.percent }) }, to };
  } catch (err) {
    if (isGatewayError(err) && err.status === 409) return { kind: 'refused', code: err.code };
    return { kind: 'failed', detail: isGatewayError(err) ? err.code : (err as Error).message };
  } finally {
    await lock.release(key, token).catch(() => undefined);
  }
}
