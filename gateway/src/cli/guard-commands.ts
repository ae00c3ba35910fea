/**
 * `strangler guard`: the guard's windows on the replica asked (figures against
 * thresholds per route and tenant) and its recent actions across the fleet.
 */
import { callAdmin, type AdminTarget } from './admin-client.ts';
import { print, table } from './output.ts';

interface Change { version: number; at: string; routeId: string; tenant: string | null; why: string | null }
interface Thresholds { enabled: boolean; maxErrorRatePercent: number; maxLatencyRatio: number; maxMismatchRatePercent: number; minSample: number }
interface Figures {
  newRequests: number; newErrors: number; newTimed: number; legacyTimed: number; comparisons: number; mismatches: number;
  errorRatePercent: number | null; latencyRatio: number | null; mismatchRatePercent: number | null;
}
interface Watch { routeId: string; tenant: string; mode: string; percent?: number; thresholds: Thresholds; figures: Figures; state: string; trigger: string | null }
interface GuardAnswer { replica: string; enabled: boolean; windowMs: number; evaluationIntervalMs: number; canaryPercent: number; evaluatedAt: string | null; watches: Watch[]; actions: Change[] | null }

/** Options of `guard`. */
export interface GuardOptions {
  readonly route?: string;
  readonly tenant?: string;
  readonly limit: number;
}

/** `guard [--route R] [--tenant T] [--limit N]`. */
export async function showGuard(target: AdminTarget, json: boolean, options: GuardOptions): Promise<void> {
  const query = new URLSearchParams({ limit: String(options.limit) });
  if (options.route) query.set('route', options.route);
  if (options.tenant) query.set('tenant', options.tenant);
  const answer = await callAdmin<GuardAnswer>(target, 'GET', `/admin/guard?${query.toString()}`);
  print(json, answer, () => {
    const head = `guard ${answer.enabled ? 'on' : 'OFF'} on replica ${answer.replica}: window ${answer.windowMs / 1000} s, judged every ${answer.evaluationIntervalMs / 1000} s (last ${answer.evaluatedAt ?? 'never'}); extracted steps back to canary ${answer.canaryPercent}%`;
    const rows = answer.watches.map((w) => [
      w.routeId, w.tenant, w.percent === undefined ? w.mode : `${w.mode} ${w.percent}%`,
      rate(w.figures.errorRatePercent, `${w.figures.newErrors}/${w.figures.newRequests}`, `${w.thresholds.maxErrorRatePercent}%`),
      w.figures.latencyRatio === null ? '-' : `${w.figures.latencyRatio.toFixed(2)} (max ${w.thresholds.maxLatencyRatio})`,
      rate(w.figures.mismatchRatePercent, `${w.figures.mismatches}/${w.figures.comparisons}`, `${w.thresholds.maxMismatchRatePercent}%`),
      String(w.thresholds.minSample), w.trigger === null ? w.state : `crossed: ${w.trigger}`,
    ]);
    const watches = rows.length === 0 ? '(no route watched yet: the guard watches a route once this replica served it)' : table(['ROUTE', 'TENANT', 'MODE', 'ERRORS', 'LATENCY RATIO', 'MISMATCHES', 'MIN SAMPLE', 'STATE'], rows);
    const actions = answer.actions === null
      ? 'recent actions: the flag store cannot be read'
      // The step and its figures are in `why`: an entry's from/to are the tenant flag's, and the mode stepped back often came from the global one.
      : answer.actions.length === 0 ? 'recent actions: none' : `recent actions:\n${table(['AT', 'ROUTE', 'TENANT', 'VERSION', 'WHY'], answer.actions.map((c) => [c.at, c.routeId, c.tenant ?? '(global)', String(c.version), c.why ?? '']))}`;
    return `${head}\n${watches}\n${actions}`;
  });
}

/** `12.5% (5/40, max 5%)`, or `-` without samples. */
function rate(percent: number | null, counts: string, max: string): string {
  return percent === null ? '-' : `${Math.round(percent * 10) / 10}% (${counts}, max ${max})`;
}
