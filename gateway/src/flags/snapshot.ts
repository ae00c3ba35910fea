/**
 * Building immutable flag snapshots (CONTEXT.md: Flag). Both stores use these,
 * so a snapshot means the same whichever store made it.
 */
import type { Flag } from '../model.ts';
import { flagKey, type ChangeOrigin, type FlagSnapshot, type FlagValue } from './store.ts';

/** A frozen snapshot of `flags` at `version`, with the revision of each changed (route, tenant). */
export function freezeSnapshot(version: number, flags: ReadonlyMap<string, Flag>, revisions: ReadonlyMap<string, number>): FlagSnapshot {
  return Object.freeze({ version, flags, revisions });
}

/**
 * The snapshot after one change: `next` replaces (or, when null, removes) the
 * flag of (route, tenant), which gets revision `version`. `base` is unchanged.
 */
export function snapshotWith(base: FlagSnapshot, version: number, routeId: string, tenant: string | null, next: FlagValue | null): FlagSnapshot {
  const key = flagKey(routeId, tenant);
  const flags = new Map(base.flags);
  if (next) flags.set(key, flagOf(routeId, tenant, next));
  else flags.delete(key);
  const revisions = new Map(base.revisions ?? []);
  revisions.set(key, version);
  return freezeSnapshot(version, flags, revisions);
}

/** The stored value of a flag: its mode, for canary the percent, and whether the guard set it. */
export function valueOf(flag: Flag | FlagValue): FlagValue {
  return {
    mode: flag.mode, ...(flag.percent === undefined ? {} : { percent: flag.percent }), ...(flag.setBy === undefined ? {} : { setBy: flag.setBy }),
  };
}

/** The value a `set` stores: marked as the guard's when the change is automatic (the guard's step back), never otherwise. */
export function valueSetBy(flag: Flag, origin: ChangeOrigin | undefined): FlagValue {
  const { setBy: _ignored, ...value } = valueOf(flag);
  return origin === 'automatic' ? { ...value, setBy: 'guard' } : value;
}

/** A frozen flag of (route, tenant) holding `value`. */
export function flagOf(routeId: string, tenant: string | null, value: FlagValue): Flag {
  return Object.freeze({ routeId, tenant, ...valueOf(value) });
}

/** True when two values are the same: mode, percent and who set them (null is the catalogue default). */
export function sameValue(a: FlagValue | null, b: FlagValue | null): boolean {
  return a?.mode === b?.mode && a?.percent === b?.percent && a?.setBy === b?.setBy;
}
