/**
 * Checks a flag change asked for through the admin API against the catalogue
 * and the configured tenants. A rejection is a GatewayError (400 or 404, a
 * GW_ERR_ADMIN_* code) returned, not thrown, so the admin answers it as is.
 */
import { GatewayError } from '../errors.ts';
import type { Catalogue } from '../routing/types.ts';
import { MODES, type Flag, type Mode } from '../model.ts';

const BODY_KEYS = new Set(['mode', 'percent', 'tenant', 'why']);
/** Longest accepted `why`, in characters. */
const MAX_WHY_CHARS = 500;

/** A change that passed every check. */
export interface ValidFlagChange {
  readonly flag: Flag;
  readonly why?: string;
}

/** True for 0–100 with at most two decimals (0.01 steps, docs/architecture.md §3). */
export function isValidPercent(p: unknown): p is number {
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 100) return false;
  return Math.abs(p * 100 - Math.round(p * 100)) < 1e-6;
}

/**
 * Validates the body `{ mode, percent?, tenant?, why? }` of a change to `routeId`.
 *
 * @param tenants - ids of every configured tenant, `default` included.
 * @returns the flag to store, or the first problem found as a GatewayError.
 * @example
 * validateFlagChange('tracking.pixel', { mode: 'canary', percent: 5 }, catalogue, new Set(['default']));
 */
export function validateFlagChange(
  routeId: string,
  body: unknown,
  catalogue: Catalogue,
  tenants: ReadonlySet<string>,
): ValidFlagChange | GatewayError {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badRequest('the body must be a JSON object { mode, percent?, tenant?, why? }');
  }
  const input = body as Record<string, unknown>;
  const extra = Object.keys(input).filter((k) => !BODY_KEYS.has(k));
  if (extra.length > 0) return badRequest(`unknown field(s) ${extra.join(', ')}; allowed: mode, percent, tenant, why`);
  const route = catalogue.byId(routeId);
  if (!route) return new GatewayError('GW_ERR_ADMIN_UNKNOWN_ROUTE', { params: { routeId } });
  const { mode, percent, why } = input;
  if (typeof mode !== 'string' || !MODES.includes(mode as Mode)) {
    return new GatewayError('GW_ERR_ADMIN_UNKNOWN_MODE', { params: { mode: show(mode) } });
  }
  const tenantProblem = validateTenant(input.tenant, tenants);
  if (tenantProblem) return tenantProblem;
  if (route.upstream === null && mode !== 'legacy') {
    return new GatewayError('GW_ERR_ADMIN_ROUTE_LEGACY_ONLY', { params: { routeId, mode } });
  }
  if (mode !== 'canary' && percent !== undefined) return new GatewayError('GW_ERR_ADMIN_PERCENT_NOT_CANARY', { params: { mode } });
  if (mode === 'canary' && !isValidPercent(percent)) return new GatewayError('GW_ERR_ADMIN_BAD_PERCENT', { params: { percent: show(percent) } });
  if (why !== undefined && (typeof why !== 'string' || why.length > MAX_WHY_CHARS)) {
    return badRequest(`why must be a string of at most ${MAX_WHY_CHARS} characters`);
  }
  const tenant = typeof input.tenant === 'string' ? input.tenant : null;
  const flag: Flag = mode === 'canary' ? { routeId, tenant, mode, percent: percent as number } : { routeId, tenant, mode: mode as Mode };
  return typeof why === 'string' ? { flag, why } : { flag };
}

/** Checks an optional tenant: absent or null means global; anything else must be configured. */
export function validateTenant(tenant: unknown, tenants: ReadonlySet<string>): GatewayError | null {
  if (tenant === undefined || tenant === null) return null;
  if (typeof tenant !== 'string') return badRequest(`tenant must be a tenant id string, not ${show(tenant)}`);
  if (tenants.has(tenant)) return null;
  return new GatewayError('GW_ERR_ADMIN_UNKNOWN_TENANT', { params: { tenant: show(tenant), tenants: [...tenants].join(', ') } });
}

function badRequest(detail: string): GatewayError {
  return new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail } });
}

/** A value as JSON for a message; "nothing" when absent. */
function show(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value)).slice(0, 100);
}
