/**
 * `strangler audit` (who changed what, newest first) and `strangler status`
 * (the replicas and the version each applied).
 */
import { callAdmin, type AdminTarget } from './admin-client.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { print, showValue, table } from './output.ts';

type Value = { mode: string; percent?: number } | null;
interface Entry { version: number; at: string; who: string; routeId: string; tenant: string | null; from: Value; to: Value; why: string | null; action: string; origin: string }
interface Fleet { version: number; replicas: { id: string; version: number; seenAt: string; straggler: boolean }[]; stragglers: string[] }

/** Options of `audit`. */
export interface AuditOptions {
  readonly route?: string;
  readonly tenant?: string;
  readonly since?: string;
  readonly limit: number;
}

/**
 * `--since` as an ISO time: an ISO time as is, or an age like `30m`, `2h`, `7d` before `now`.
 *
 * @example sinceTime('2h', new Date('2026-01-01T12:00:00Z')) // '2026-01-01T10:00:00.000Z'
 */
export function sinceTime(since: string, now: Date): string {
  const age = /^(\d{1,6})([smhd])$/.exec(since);
  if (age) return new Date(now.getTime() - Number(age[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd']).toISOString();
  if (!Number.isNaN(Date.parse(since)) && /^\d{4}-\d{2}-\d{2}T/.test(since)) return since;
  throw new CliError(EXIT.usage, `--since takes an ISO time (2026-01-31T08:00:00Z) or an age (30m, 2h, 7d), not "${since}"`);
}

/** `audit [--route R] [--tenant T] [--since …] [--limit N]`. */
export async function showAudit(target: AdminTarget, json: boolean, options: AuditOptions): Promise<void> {
  const query = new URLSearchParams({ limit: String(options.limit) });
  if (options.route) query.set('route', options.route);
  if (options.tenant) query.set('tenant', options.tenant);
  if (options.since) query.set('since', sinceTime(options.since, new Date()));
  const page = await callAdmin<{ entries: Entry[]; next: string | null }>(target, 'GET', `/admin/audit?${query.toString()}`);
  print(json, page, () => {
    const rows = page.entries.map((e) => [String(e.version), e.at, e.who, e.routeId, e.tenant ?? '(global)', `${showValue(e.from)} → ${showValue(e.to)}`, e.action === 'set' ? e.origin : `${e.action}, ${e.origin}`, e.why ?? '']);
    return `${table(['VERSION', 'AT', 'WHO', 'ROUTE', 'TENANT', 'CHANGE', 'KIND', 'WHY'], rows)}${page.next ? '\n(more: raise --limit, or narrow with --route/--tenant/--since)' : ''}`;
  });
}

/** `status`: exits 9 when a replica is behind. */
export async function showStatus(target: AdminTarget, json: boolean): Promise<void> {
  const fleet = await callAdmin<Fleet>(target, 'GET', '/admin/fleet');
  print(json, fleet, () => {
    const rows = fleet.replicas.map((r) => [r.id, String(r.version), r.seenAt, r.straggler ? 'behind' : 'ok']);
    const summary = `store version ${fleet.version}, ${fleet.replicas.length} replica(s), ${fleet.stragglers.length === 0 ? 'all applied it' : `behind: ${fleet.stragglers.join(', ')}`}`;
    return `${table(['REPLICA', 'VERSION', 'LAST SEEN', 'STATE'], rows)}\n${summary}`;
  });
  if (fleet.stragglers.length > 0) process.exitCode = EXIT.stragglers;
}
