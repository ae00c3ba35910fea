/**
 * Reading the Redis flag store: the whole snapshot in one MULTI (version,
 * modes, revisions), and one change from its channel message. Entries that do
 * not parse are reported and skipped, never applied.
 */
import type { Redis } from 'ioredis';
import type { Flag } from '../model.ts';
import { parseAuditEntry } from './redis-audit.ts';
import { decodeValue, parseField, scopeOf, type RedisKeys } from './redis-keys.ts';
import { flagOf, freezeSnapshot } from './snapshot.ts';
import { flagKey, type FlagChange, type FlagSnapshot } from './store.ts';

/** Told where a bad entry is and what is wrong with it. */
export type BadStoredEntry = (where: string, detail: string) => void;

/**
 * Reads every flag and revision at one version (atomically).
 *
 * @throws the ioredis error when Redis cannot answer.
 */
export async function readSnapshot(redis: Redis, keys: RedisKeys, onBad: BadStoredEntry): Promise<FlagSnapshot> {
  const replies = await redis.multi().get(keys.version).hgetall(keys.modes).hgetall(keys.revisions).exec();
  if (!replies) throw new Error('the snapshot transaction was aborted');
  for (const [err] of replies) if (err) throw err;
  const [version, modes, revisions] = replies.map(([, value]) => value) as [string | null, Record<string, string>, Record<string, string>];
  const flags = new Map<string, Flag>();
  for (const [field, raw] of Object.entries(modes)) {
    const at = parseField(field);
    const value = decodeValue(raw);
    if (!at || value instanceof Error || value === null) onBad(`${keys.modes} ${field}`, value instanceof Error ? value.message : 'not a <scope>/<route> field with a value');
    else flags.set(flagKey(at.routeId, at.tenant), flagOf(at.routeId, at.tenant, value));
  }
  const revs = new Map<string, number>();
  for (const [field, raw] of Object.entries(revisions)) {
    const at = parseField(field);
    if (at && /^\d{1,15}$/.test(raw)) revs.set(flagKey(at.routeId, at.tenant), Number(raw));
    else onBad(`${keys.revisions} ${field}`, 'not a <scope>/<route> field with an integer');
  }
  const v = Number(version ?? 0);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${keys.version} holds ${JSON.stringify(version)}, not a version`);
  return freezeSnapshot(v, flags, revs);
}

/** A change message (published by the change script) as a change, or what is wrong with it. */
export function changeFromMessage(text: string): FlagChange | Error {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return new Error('change message is not JSON');
  }
  const at = parseField(String(m.field ?? ''));
  if (!at) return new Error('change message has no valid field');
  const fields = ['version', m.version, 'at', m.at, 'who', m.who, 'route', at.routeId, 'tenant', scopeOf(at.tenant), 'from', m.from, 'to', m.to, 'why', m.why, 'origin', m.origin, 'action', m.action];
  return parseAuditEntry(fields.map((f) => String(f ?? '')));
}
