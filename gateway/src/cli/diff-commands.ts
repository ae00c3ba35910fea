/**
 * `strangler diffs` (the stored diff records, newest first), `strangler diffs show <id>`
 * (one record with both responses, redacted; the id is `<route>/<n>` as `diffs` prints it) and `strangler stats` (the shadow comparisons per
 * route; exit 10 when a route has mismatches, so a script can hold a ramp).
 */
import { callAdmin, type AdminTarget } from './admin-client.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { print, table } from './output.ts';

interface Difference { path: string; legacy: string | null; new: string | null }
interface Side { status: number; latencyMs: number }
interface Recorded { status: number; headers: [string, string][]; bodyEncoding: 'text' | 'base64'; body: string; truncated: boolean }
interface Diff { id: string; routeId: string; tenant: string; at: string; traceId: string | null; legacy: Side; new: Side; differences: Difference[]; omitted: number; responses?: { legacy: Recorded; new: Recorded } }
interface Latency { count: number; p50Ms: number | null; p99Ms: number | null }
interface RouteStats { compared: number; matched: number; mismatched: number; skipped: Record<string, number>; latencyMs: { legacy: Latency; new: Latency } }
interface Comparisons { routes: Record<string, RouteStats>; store: { kind: string; dropped: number }; shadowInFlight: number; shadowTargets?: { upstream: string; url: string; share: number }[] }

/** Options of `diffs`. */
export interface DiffsOptions {
  readonly route?: string;
  readonly tenant?: string;
  readonly limit: number;
  readonly offset: number;
}

const ms = (n: number | null): string => (n === null ? '-' : `${Math.round(n * 10) / 10}ms`);
const value = (v: string | null): string => (v === null ? '(none)' : v);

/** `diffs [--route R] [--tenant T] [--limit N] [--offset N]`. */
export async function listDiffs(target: AdminTarget, json: boolean, options: DiffsOptions): Promise<void> {
  const query = new URLSearchParams({ limit: String(options.limit), offset: String(options.offset) });
  if (options.route) query.set('route', options.route);
  if (options.tenant) query.set('tenant', options.tenant);
  const page = await callAdmin<{ diffs: Diff[]; next: string | null }>(target, 'GET', `/admin/diffs?${query.toString()}`);
  print(json, page, () => {
    if (page.diffs.length === 0) return 'no diffs stored';
    const rows = page.diffs.map((d) => [`${d.routeId}/${d.id}`, d.at, d.routeId, d.tenant, `${d.legacy.status} / ${d.new.status}`, String(d.differences.length + d.omitted), d.differences[0]?.path ?? '']);
    return `${table(['ID', 'AT', 'ROUTE', 'TENANT', 'STATUS L/N', 'DIFFERENCES', 'FIRST'], rows)}${page.next ? `\n(more: --offset ${page.next})` : ''}`;
  });
}

function showResponse(side: string, r: Recorded | undefined): string[] {
  if (r === undefined) return [`${side}: (not kept)`];
  const body = r.bodyEncoding === 'base64' ? `(base64) ${r.body}` : r.body;
  return [`${side}: ${r.status}`, ...r.headers.map(([n, v]) => `  ${n}: ${v}`), `  ${body}${r.truncated ? ' …(cut)' : ''}`];
}

/** `diffs show <route>/<n>`. */
export async function showDiff(target: AdminTarget, json: boolean, ref: string): Promise<void> {
  const slash = ref.lastIndexOf('/');
  if (slash <= 0 || slash === ref.length - 1) throw new CliError(EXIT.usage, `a diff id is <route>/<n> as strangler diffs prints it (tracking.pixel/12), not "${ref}"`);
  const routeId = ref.slice(0, slash);
  const id = ref.slice(slash + 1);
  const { diff } = await callAdmin<{ diff: Diff }>(target, 'GET', `/admin/diffs/${encodeURIComponent(routeId)}/${encodeURIComponent(id)}`);
  print(json, { diff }, () => {
    const head = `diff ${diff.routeId}/${diff.id}, tenant ${diff.tenant}, at ${diff.at}${diff.traceId ? `, trace ${diff.traceId}` : ''}`;
    const sides = `legacy ${diff.legacy.status} in ${ms(diff.legacy.latencyMs)}, new ${diff.new.status} in ${ms(diff.new.latencyMs)}`;
    const rows = diff.differences.map((d) => [d.path, value(d.legacy), value(d.new)]);
    const omitted = diff.omitted > 0 ? `\n(${diff.omitted} more differences not kept)` : '';
    return [head, sides, '', table(['WHERE', 'LEGACY', 'NEW'], rows) + omitted, '', ...showResponse('legacy', diff.responses?.legacy), ...showResponse('new', diff.responses?.new)].join('\n');
  });
}

/** `stats`: exits 10 when any route has mismatches. */
export async function showComparisonStats(target: AdminTarget, json: boolean): Promise<void> {
  const stats = await callAdmin<Comparisons>(target, 'GET', '/admin/comparisons');
  print(json, stats, () => {
    const rows = Object.entries(stats.routes).map(([routeId, s]) => {
      const skips = Object.entries(s.skipped).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`).join(', ');
      return [routeId, String(s.compared), String(s.matched), String(s.mismatched), skips || '0', `${ms(s.latencyMs.legacy.p50Ms)} / ${ms(s.latencyMs.legacy.p99Ms)}`, `${ms(s.latencyMs.new.p50Ms)} / ${ms(s.latencyMs.new.p99Ms)}`];
    });
    // Each target's share of the cap: one cut down after copies missed their deadline gets fewer comparisons.
    const cut = (stats.shadowTargets ?? []).map((t) => `; ${t.upstream} (${t.url}) may hold ${t.share}`).join('');
    const footer = `diff store: ${stats.store.kind}, ${stats.store.dropped} dropped; shadow copies in flight: ${stats.shadowInFlight}${cut}`;
    return rows.length === 0 ? `no shadowed requests yet\n${footer}` : `${table(['ROUTE', 'COMPARED', 'MATCHED', 'MISMATCHED', 'SKIPPED', 'LEGACY P50/P99', 'NEW P50/P99'], rows)}\n${footer}`;
  });
  if (Object.values(stats.routes).some((s) => s.mismatched > 0)) process.exitCode = EXIT.mismatches;
}
