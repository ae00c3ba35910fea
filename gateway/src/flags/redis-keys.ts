/**
 * Where the Redis flag store keeps things (docs/architecture.md §7), all under
 * `flags.redisKeyPrefix`, and how a (route, tenant) and a mode are written
 * there. Everything read back is validated: a bad entry is skipped and
 * reported, never applied.
 */
import { z } from 'zod';
import type { FlagValue } from './store.ts';
import { valueOf } from './snapshot.ts';

/** The keys and channel of one prefix. */
export interface RedisKeys {
  /** String: the store version, one increment per change. */
  readonly version: string;
  /** Hash: field `<scope>/<routeId>` → JSON `{ mode, percent? }`; scope `*` is global. */
  readonly modes: string;
  /** Hash: same field → store version of its last change (the revision). */
  readonly revisions: string;
  /** Hash: same field → JSON value before its last change, `""` for the catalogue default. */
  readonly previous: string;
  /** Stream: the audit, one entry per change. */
  readonly audit: string;
  /** Pub/sub channel: one message per change. */
  readonly channel: string;
  /** Sorted set: replica id → time of its last heartbeat (ms). */
  readonly seen: string;
  /** Hash: replica id → JSON `{ version, seenAt }`. */
  readonly replicas: string;
}

/** The keys under `prefix`. */
export function redisKeys(prefix: string): RedisKeys {
  return {
    version: `${prefix}flags:version`,
    modes: `${prefix}flags:modes`,
    revisions: `${prefix}flags:revisions`,
    previous: `${prefix}flags:previous`,
    audit: `${prefix}flags:audit`,
    channel: `${prefix}flags:changes`,
    seen: `${prefix}fleet:seen`,
    replicas: `${prefix}fleet:replicas`,
  };
}

/** Scope written for a global flag (never a tenant id). */
const GLOBAL_SCOPE = '*';

/** The hash field of (route, tenant). */
export function fieldOf(routeId: string, tenant: string | null): string {
  return `${tenant ?? GLOBAL_SCOPE}/${routeId}`;
}

/** (route, tenant) of a hash field, or null when it is not one. */
export function parseField(field: string): { routeId: string; tenant: string | null } | null {
  const slash = field.indexOf('/');
  if (slash < 1 || slash === field.length - 1) return null;
  const scope = field.slice(0, slash);
  return { routeId: field.slice(slash + 1), tenant: scope === GLOBAL_SCOPE ? null : scope };
}

/** Tenant as written in an audit entry. */
export function scopeOf(tenant: string | null): string {
  return tenant ?? GLOBAL_SCOPE;
}

/** Tenant of an audit entry's scope. */
export function tenantOfScope(scope: string): string | null {
  return scope === GLOBAL_SCOPE ? null : scope;
}

/**
 * A stored value is read leniently past what this version knows: a field a newer replica
 * writes (as `setBy` once was) is dropped, an origin it does not know reads as none, so that
 * during a rolling deploy an older replica still applies the mode instead of skipping the flag.
 * The mode and percent stay strict: a replica never guesses at those.
 */
const setBy = z.literal('guard').optional().catch(undefined);
const storedValue = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('canary'), percent: z.number().min(0).max(100), setBy }),
  z.object({ mode: z.enum(['legacy', 'shadow', 'extracted']), setBy }),
]);

/** A value as stored: JSON, or `""` for none. */
export function encodeValue(value: FlagValue | null): string {
  return value === null ? '' : JSON.stringify(valueOf(value));
}

/**
 * Reads a stored value: null for `""`, an Error saying what is wrong otherwise.
 *
 * @example decodeValue('{"mode":"canary","percent":5}') // { mode: 'canary', percent: 5 }
 */
export function decodeValue(raw: string): FlagValue | null | Error {
  if (raw === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return new Error('not JSON');
  }
  const result = storedValue.safeParse(parsed);
  return result.success ? result.data : new Error(result.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; '));
}
