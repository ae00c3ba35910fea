/**
 * The flag API of the admin port (token-protected by admin-app.ts): list
 * flags, set a route's mode globally or for one tenant, remove a flag. The
 * route-mode API (mode-routes.ts) is the fuller one; these stay for scripts. Every rejection is a
 * GatewayError handled by the admin's one error handler.
 */
import { Router, type Request } from 'express';
import { GatewayError } from '../errors.ts';
import { checkServiceConfigured } from '../flags/service-check.ts';
import { validateFlagChange, validateTenant } from '../flags/validate-flag.ts';
import type { CompiledRoute } from '../routing/types.ts';
import { requireOperator, type ModeRoutesDeps } from './mode-routes.ts';
import { flagBody } from './api-schemas.ts';
import { identityOf, parseInput } from './request-parsing.ts';

/** What the flag API works on (the same as the route-mode API). */
export type FlagRoutesDeps = ModeRoutesDeps;

/** The label of the caller's token, audited as "who". */
function whoOf(req: Request): string {
  return identityOf(req).label;
}

/**
 * Builds the router mounted at `/admin`.
 *
 * @example app.use('/admin', createFlagRoutes({ store, catalogue, tenants }));
 */
export function createFlagRoutes(deps: FlagRoutesDeps): Router {
  const { store, catalogue, tenants } = deps;
  const router = Router();

  router.get('/flags', (_req, res) => {
    const snapshot = store.snapshot();
    res.json({ version: snapshot.version, flags: [...snapshot.flags.values()] });
  });

  router.put('/flags/:routeId', requireOperator, async (req, res) => {
    parseInput(flagBody, req.body);
    const valid = validateFlagChange(req.params.routeId as string, req.body, catalogue, tenants);
    if (valid instanceof GatewayError) throw valid;
    const unserved = checkServiceConfigured(catalogue.byId(valid.flag.routeId) as CompiledRoute, valid.flag, deps.tenantServices, store.snapshot());
    if (unserved) throw unserved;
    const change = await store.set(valid.flag, valid.why === undefined ? { who: whoOf(req) } : { who: whoOf(req), why: valid.why });
    res.json({ change });
  });

  router.delete('/flags/:routeId', requireOperator, async (req, res) => {
    const routeId = req.params.routeId as string;
    const { tenant, why } = req.query;
    if (!catalogue.byId(routeId)) throw new GatewayError('GW_ERR_ADMIN_UNKNOWN_ROUTE', { params: { routeId } });
    const tenantProblem = validateTenant(tenant, tenants);
    if (tenantProblem) throw tenantProblem;
    if (why !== undefined && (typeof why !== 'string' || why.length > 500)) throw badRequest('why must be one string of at most 500 characters');
    const t = typeof tenant === 'string' ? tenant : null;
    const change = await store.remove(routeId, t, typeof why === 'string' ? { who: whoOf(req), why } : { who: whoOf(req) });
    if (!change) throw new GatewayError('GW_ERR_ADMIN_FLAG_NOT_FOUND', { params: { routeId, tenant: t ?? '(global)' } });
    res.json({ change });
  });

  return router;
}

function badRequest(detail: string): GatewayError {
  return new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail } });
}
