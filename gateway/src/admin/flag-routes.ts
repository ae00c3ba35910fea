/**
 * The flag API of the admin port (token-protected by admin-app.ts):
 * list flags, set a route's mode globally or for one tenant, remove a flag,
 * read the audit list and the route catalogue. Every rejection is a
 * GatewayError handled by the admin's one error handler.
 */
import { Router, type Request } from 'express';
import { GatewayError } from '../errors.ts';
import type { FlagStore } from '../flags/store.ts';
import { validateFlagChange, validateTenant } from '../flags/validate-flag.ts';
import type { Catalogue } from '../routing/types.ts';

/** What the flag API works on. */
export interface FlagRoutesDeps {
  readonly store: FlagStore;
  readonly catalogue: Catalogue;
  /** Every configured tenant id, `default` included. */
  readonly tenants: ReadonlySet<string>;
}

/** Most audit entries one call returns. */
const MAX_AUDIT_LIMIT = 1_000;

/** The label the token check put on the request (admin-app.ts). */
export function whoOf(req: Request): string {
  return (req as Request & { adminLabel?: string }).adminLabel ?? 'admin';
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

  router.put('/flags/:routeId', async (req, res) => {
    const valid = validateFlagChange(req.params.routeId as string, req.body, catalogue, tenants);
    if (valid instanceof GatewayError) throw valid;
    const change = await store.set(valid.flag, valid.why === undefined ? { who: whoOf(req) } : { who: whoOf(req), why: valid.why });
    res.json({ change });
  });

  router.delete('/flags/:routeId', async (req, res) => {
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

  router.get('/audit', async (req, res) => {
    const raw = req.query.limit ?? '100';
    const limit = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
    if (!(limit >= 1 && limit <= MAX_AUDIT_LIMIT)) throw badRequest(`limit must be an integer from 1 to ${MAX_AUDIT_LIMIT}`);
    res.json({ entries: await store.audit(limit) });
  });

  router.get('/routes', (_req, res) => {
    res.json({ routes: catalogue.routes.map(({ id, area, upstream, replayable, journeyGroup, methods }) => ({ id, area, methods, upstream, replayable, journeyGroup })) });
  });

  return router;
}

function badRequest(detail: string): GatewayError {
  return new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail } });
}
