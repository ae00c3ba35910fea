/**
 * Reading the audit (CONTEXT.md: Audit entry) a page at a time, newest first,
 * filtered by route, tenant scope and time (`AuditQuery` in store.ts). The
 * filter is shared by both stores; each store has its own opaque cursor.
 */
import type { AuditPage, AuditQuery, FlagChange } from './store.ts';

/** True when `change` passes the route, tenant and time filters of `query`. */
export function matchesAudit(change: FlagChange, query: AuditQuery): boolean {
  if (query.routeId !== undefined && change.routeId !== query.routeId) return false;
  if (query.tenant !== undefined && change.tenant !== query.tenant) return false;
  return query.since === undefined || Date.parse(change.at) >= query.since.getTime();
}

/**
 * Pages an in-memory audit list (oldest first, as kept), the cursor being the
 * version of the last entry returned.
 *
 * @example pageAuditList(log, { routeId: 'tracking.pixel', limit: 20 })
 */
export function pageAuditList(log: readonly FlagChange[], query: AuditQuery): AuditPage {
  const before = query.cursor === undefined ? Infinity : Number(query.cursor);
  const entries: FlagChange[] = [];
  for (let i = log.length - 1; i >= 0; i -= 1) {
    const change = log[i] as FlagChange;
    if (change.version >= before || !matchesAudit(change, query)) continue;
    if (entries.length === query.limit) return { entries, next: String(entries[entries.length - 1]?.version) };
    entries.push(change);
  }
  return { entries, next: null };
}
