/**
 * `strangler routes list | set | rollback`: read the effective modes, change
 * one with the revision just read as If-Match (a concurrent change gives 409),
 * roll one back.
 */
import { createInterface } from 'node:readline/promises';
import type { AdminTarget } from './admin-client.ts';
import { callAdmin } from './admin-client.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { print, showChange, table } from './output.ts';

interface TenantMode { tenant: string; mode: string; percent?: number; source: string; revision: number }
interface RouteModes { id: string; area: string; global: { flag: { mode: string; percent?: number } | null; revision: number }; tenants: TenantMode[] }
type Change = Parameters<typeof showChange>[0];
interface AuditPage { entries: Change[]; next: string | null }

const scopeQuery = (tenant: string | undefined): string => (tenant === undefined ? '' : `?tenant=${encodeURIComponent(tenant)}`);

/** `routes list [--tenant T]`. */
export async function listRoutes(target: AdminTarget, json: boolean, tenant: string | undefined): Promise<void> {
  const answer = await callAdmin<{ version: number; routes: RouteModes[] }>(target, 'GET', `/admin/routes${scopeQuery(tenant)}`);
  print(json, answer, () => {
    const rows = answer.routes.flatMap((r) => r.tenants.map((t) => [r.id, t.tenant, t.mode, t.percent === undefined ? '' : `${t.percent}%`, t.source, String(t.revision)]));
    return `${table(['ROUTE', 'TENANT', 'MODE', 'PERCENT', 'SOURCE', 'REVISION'], rows)}\nstore version ${answer.version}`;
  });
}

/** Options of `routes set`. */
export interface SetOptions {
  readonly tenant?: string;
  readonly percent?: number;
  readonly reason: string;
  readonly yes: boolean;
  /** The revision the caller read earlier; default: the one read now. */
  readonly revision?: number;
}

/** `routes set <route> <mode> [--percent N] [--tenant T] --reason "…" [--yes]`. */
export async function setRoute(target: AdminTarget, json: boolean, routeId: string, mode: string, options: SetOptions): Promise<void> {
  const { route } = await callAdmin<{ route: RouteModes }>(target, 'GET', `/admin/routes/${encodeURIComponent(routeId)}${scopeQuery(options.tenant)}`);
  const current = options.tenant === undefined ? route.global.revision : (route.tenants[0]?.revision ?? 0);
  const revision = options.revision ?? current;
  if (mode === 'extracted' && !options.yes && !(await wasEverCanary(target, route, options.tenant))) await confirmExtracted(routeId, options.tenant);
  const body = { mode, reason: options.reason, ...(options.percent === undefined ? {} : { percent: options.percent }), ...(options.tenant === undefined ? {} : { tenant: options.tenant }) };
  const answer = await callAdmin<{ change: Change }>(target, 'PUT', `/admin/routes/${encodeURIComponent(routeId)}/mode`, { body, ifMatch: revision });
  print(json, answer, () => showChange(answer.change));
}

/** `routes rollback <route> [--tenant T] [--reason "…"]`. */
export async function rollbackRoute(target: AdminTarget, json: boolean, routeId: string, tenant: string | undefined, reason: string | undefined): Promise<void> {
  const body = { ...(tenant === undefined ? {} : { tenant }), ...(reason === undefined ? {} : { reason }) };
  const answer = await callAdmin<{ change: Change }>(target, 'POST', `/admin/routes/${encodeURIComponent(routeId)}/rollback`, { body });
  print(json, answer, () => showChange(answer.change));
}

/** True when the scope is in canary now, or its audit shows it was once. */
async function wasEverCanary(target: AdminTarget, route: RouteModes, tenant: string | undefined): Promise<boolean> {
  const now = tenant === undefined ? route.global.flag?.mode : route.tenants[0]?.mode;
  if (now === 'canary') return true;
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ route: route.id, tenant: tenant ?? '*', limit: '1000', ...(cursor ? { cursor } : {}) });
    const page: AuditPage = await callAdmin<AuditPage>(target, 'GET', `/admin/audit?${query.toString()}`);
    if (page.entries.some((e) => e.to?.mode === 'canary' || e.from?.mode === 'canary')) return true;
    cursor = page.next;
  } while (cursor !== null);
  return false;
}

async function confirmExtracted(routeId: string, tenant: string | undefined): Promise<void> {
  const what = `${routeId} (${tenant === undefined ? 'global' : `tenant ${tenant}`}) has never been in canary`;
  if (!process.stdin.isTTY) throw new CliError(EXIT.notConfirmed, `${what}: moving it straight to extracted sends all its traffic to the new service. Add --yes to do it anyway, or ramp it with: strangler routes set ${routeId} canary --percent 5 …`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${what}. Send all its traffic to the new service? Type yes: `);
  rl.close();
  if (answer.trim().toLowerCase() !== 'yes') throw new CliError(EXIT.notConfirmed, 'Not confirmed; nothing was changed.');
}

