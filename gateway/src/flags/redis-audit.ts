/**
 * Reading the Redis audit stream a page at a time, newest first (XREVRANGE).
 * The stream has no index by route or tenant, so filters are applied while
 * walking it in batches; the cursor is the stream id of the last entry given.
 */
import type { Redis } from 'ioredis';
import { matchesAudit } from './audit-query.ts';
import { decodeValue, tenantOfScope } from './redis-keys.ts';
import type { AuditPage, AuditQuery, ChangeAction, ChangeOrigin, FlagChange } from './store.ts';

/** Stream entries read per round trip while filtering. */
const BATCH = 500;
const ACTIONS = new Set<string>(['set', 'remove', 'rollback']);
const ORIGINS = new Set<string>(['manual', 'automatic']);

/** Called with the stream id and the reason of an entry that could not be read. */
export type BadEntry = (id: string, detail: string) => void;

/**
 * Reads one page of the audit stream `key`.
 *
 * @example await readAuditPage(redis, keys.audit, { routeId: 'tracking.pixel', limit: 20 }, report)
 */
export async function readAuditPage(redis: Redis, key: string, query: AuditQuery, onBad: BadEntry): Promise<AuditPage> {
  const start = query.since === undefined ? '-' : String(query.since.getTime());
  let end = query.cursor === undefined ? '+' : `(${query.cursor}`;
  const entries: FlagChange[] = [];
  let lastId = '';
  for (;;) {
    const batch = await redis.xrevrange(key, end, start, 'COUNT', BATCH);
    for (const [id, fields] of batch) {
      const change = parseAuditEntry(fields);
      if (change instanceof Error) onBad(id, change.message);
      else if (matchesAudit(change, query)) {
        if (entries.length === query.limit) return { entries, next: lastId };
        entries.push(change);
        lastId = id;
      }
    }
    if (batch.length < BATCH) return { entries, next: null };
    end = `(${(batch[batch.length - 1] as [string, string[]])[0]}`;
  }
}

/** A stream entry's flat field list as a change, or an Error saying what is wrong. */
export function parseAuditEntry(fields: readonly string[]): FlagChange | Error {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i] as string, fields[i + 1] as string);
  const version = Number(f.get('version'));
  const from = decodeValue(f.get('from') ?? '');
  const to = decodeValue(f.get('to') ?? '');
  const [at, who, routeId, scope, action, origin] = ['at', 'who', 'route', 'tenant', 'action', 'origin'].map((k) => f.get(k));
  if (!Number.isSafeInteger(version) || version < 1) return new Error('version is not a positive integer');
  if (from instanceof Error || to instanceof Error) return new Error(`from/to: ${(from instanceof Error ? from : (to as Error)).message}`);
  if (!at || !who || !routeId || !scope || !ACTIONS.has(action ?? '') || !ORIGINS.has(origin ?? '')) return new Error('a field is missing or invalid');
  const why = f.get('why');
  return Object.freeze({
    version, at, who, routeId, tenant: tenantOfScope(scope), from, to, why: why ? why : null,
    origin: origin as ChangeOrigin, action: action as ChangeAction,
  });
}
