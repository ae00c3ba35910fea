/**
 * `strangler progress`: per day, tenant and route, the share of requests the
 * new services answered and how many fell back (`GET /admin/progress`).
 */
import { callAdmin, type AdminTarget } from './admin-client.ts';
import { print, table } from './output.ts';

interface ProgressRow { day: string; tenant: string; route: string; total: number; answeredByNew: number; fellBack: number; newShare: number }
interface ProgressAnswer { source: 'memory' | 'redis'; days: ProgressRow[] }

/** Options of `progress`. */
export interface ProgressOptions {
  readonly tenant?: string;
  readonly route?: string;
  readonly days: number;
}

/** `progress [--tenant T] [--route R] [--days N]`. */
export async function showProgress(target: AdminTarget, json: boolean, options: ProgressOptions): Promise<void> {
  const query = new URLSearchParams({ days: String(options.days) });
  if (options.tenant) query.set('tenant', options.tenant);
  if (options.route) query.set('route', options.route);
  const answer = await callAdmin<ProgressAnswer>(target, 'GET', `/admin/progress?${query.toString()}`);
  print(json, answer, () => {
    const rows = answer.days.map((r) => [r.day, r.tenant, r.route, String(r.total), String(r.answeredByNew), `${(r.newShare * 100).toFixed(1)}%`, String(r.fellBack)]);
    const scope = answer.source === 'redis' ? 'the whole fleet' : 'this replica since it started (no Redis)';
    return `${table(['DAY', 'TENANT', 'ROUTE', 'REQUESTS', 'BY NEW', 'NEW SHARE', 'FELL BACK'], rows)}\n${answer.days.length} row(s), ${scope}`;
  });
}
