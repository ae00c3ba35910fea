/**
 * `GET /admin/guard`: the guard's windows on this replica (figures and
 * thresholds per route and tenant) and its recent actions, read from the
 * audit so that actions taken by any replica show (gateway/src/guard/).
 */
import { Router } from 'express';
import { GatewayError } from '../errors.ts';
import type { FlagChange, FlagStore } from '../flags/store.ts';
import { validateTenant } from '../flags/validate-flag.ts';
import { guardActionsOf, type GuardStatus } from '../guard/guard.ts';
import type { Catalogue } from '../routing/types.ts';
import { guardQuery, MAX_AUDIT_LIMIT, MAX_GUARD_ACTIONS } from './api-schemas.ts';
import { parseInput } from './request-parsing.ts';

/** What the guard endpoint reads. */
export interface GuardRoutesDeps {
  readonly store: FlagStore;
  readonly catalogue: Catalogue;
  readonly tenants: ReadonlySet<string>;
  readonly guard: { status(): GuardStatus };
}

/**
 * Builds the router mounted at `/admin`.
 *
 * @example app.use('/admin', createGuardRoutes({ store, catalogue, tenants, guard }));
 */
export function createGuardRoutes(deps: GuardRoutesDeps): Router {
  const router = Router();
  router.get('/guard', async (req, res) => {
    const q = parseInput(guardQuery, req.query);
    const limit = Number(q.limit);
    if (!(limit >= 1 && limit <= MAX_GUARD_ACTIONS)) throw new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail: `limit must be an integer from 1 to ${MAX_GUARD_ACTIONS}` } });
    if (q.route !== undefined && !deps.catalogue.byId(q.route)) throw new GatewayError('GW_ERR_ADMIN_UNKNOWN_ROUTE', { params: { routeId: q.route } });
    const tenantProblem = validateTenant(q.tenant, deps.tenants);
    if (tenantProblem) throw tenantProblem;
    const status = deps.guard.status();
    const watches = status.watches.filter((w) => (q.route === undefined || w.routeId === q.route) && (q.tenant === undefined || w.tenant === q.tenant));
    res.json({ replica: deps.store.health().replica, ...status, watches, actions: await recentActions(deps.store, q.route, q.tenant, limit) });
  });
  return router;
}

/** The guard's latest audit entries among the last MAX_AUDIT_LIMIT of the scope; null when the store cannot be read. */
async function recentActions(store: FlagStore, routeId: string | undefined, tenant: string | undefined, limit: number): Promise<FlagChange[] | null> {
  try {
    const page = await store.auditPage({ limit: MAX_AUDIT_LIMIT, ...(routeId === undefined ? {} : { routeId }), ...(tenant === undefined ? {} : { tenant }) });
    return guardActionsOf(page.entries).slice(0, limit);
  } catch {
    return null;
  }
}
