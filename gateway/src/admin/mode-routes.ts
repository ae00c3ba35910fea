/**
 * The route-mode API of the admin port: routes with their effective mode per
 * tenant, setting a mode (operator, a reason required, `If-Match` for
 * optimistic concurrency), rolling back, the audit pages and the fleet.
 * Every refusal is a GatewayError answered by the admin's one error handler.
 */
import { Router, type RequestHandler } from 'express';
import { GatewayError } from '../errors.ts';
import { checkServiceConfigured, type TenantServices } from '../flags/service-check.ts';
import { revisionOf, type FlagStore } from '../flags/store.ts';
import { validateFlagChange, validateTenant } from '../flags/validate-flag.ts';
import type { Catalogue, CompiledRoute } from '../routing/types.ts';
import { auditQuery, MAX_AUDIT_LIMIT, modeChangeBody, rollbackBody, routesQuery } from './api-schemas.ts';
import { identityOf, ifMatchRevision, parseInput } from './request-parsing.ts';
import { routeModes } from './route-modes.ts';

/** What the route-mode API works on. */
export interface ModeRoutesDeps {
  readonly store: FlagStore;
  readonly catalogue: Catalogue;
  /** Every configured tenant id, `default` included. */
  readonly tenants: ReadonlySet<string>;
  /** The new services of each tenant. */
  readonly tenantServices: TenantServices;
}

/** Refuses a viewer token with 403 GW_ERR_ADMIN_FORBIDDEN. */
export const requireOperator: RequestHandler = function requireOperator(req, _res, next) {
  const who = identityOf(req);
  if (who.role !== 'operator') throw new GatewayError('GW_ERR_ADMIN_FORBIDDEN', { params: { who: who.label } });
  next();
};

/**
 * Builds the router mounted at `/admin`.
 *
 * @example app.use('/admin', createModeRoutes({ store, catalogue, tenants, tenantServices }));
 */
export function createModeRoutes(deps: ModeRoutesDeps): Router {
  const { store, catalogue, tenants } = deps;
  const router = Router();
  const routeOf = (id: string): CompiledRoute => {
    const route = catalogue.byId(id);
    if (!route) throw new GatewayError('GW_ERR_ADMIN_UNKNOWN_ROUTE', { params: { routeId: id } });
    return route;
  };
  const tenantsOf = (tenant: string | undefined): string[] => {
    const problem = validateTenant(tenant, tenants);
    if (problem) throw problem;
    return tenant === undefined ? [...tenants] : [tenant];
  };

  router.get('/routes', (req, res) => {
    const only = tenantsOf(parseInput(routesQuery, req.query).tenant);
    const snapshot = store.snapshot();
    res.json({ version: snapshot.version, routes: catalogue.routes.map((r) => routeModes(r, snapshot, only)) });
  });

  router.get('/routes/:routeId', (req, res) => {
    const { tenant } = parseInput(routesQuery, req.query);
    const route = routeOf(req.params.routeId as string);
    const scopes = tenantsOf(tenant);
    const snapshot = store.snapshot();
    res.setHeader('etag', `"${revisionOf(snapshot, route.id, tenant ?? null)}"`);
    res.json({ version: snapshot.version, route: routeModes(route, snapshot, scopes) });
  });

  router.put('/routes/:routeId/mode', requireOperator, async (req, res) => {
    const body = parseInput(modeChangeBody, req.body);
    const expectRevision = ifMatchRevision(req);
    const valid = validateFlagChange(req.params.routeId as string, { mode: body.mode, percent: body.percent, tenant: body.tenant, why: body.reason }, catalogue, tenants);
    if (valid instanceof GatewayError) throw valid;
    const unserved = checkServiceConfigured(routeOf(valid.flag.routeId), valid.flag, deps.tenantServices, store.snapshot());
    if (unserved) throw unserved;
    const change = await store.set(valid.flag, { who: identityOf(req).label, why: body.reason, ...(expectRevision === undefined ? {} : { expectRevision }) });
    res.setHeader('etag', `"${change.version}"`).json({ change });
  });

  router.post('/routes/:routeId/rollback', requireOperator, async (req, res) => {
    const body = parseInput(rollbackBody, req.body ?? {});
    const route = routeOf(req.params.routeId as string);
    tenantsOf(body.tenant);
    const expectRevision = ifMatchRevision(req);
    const meta = { who: identityOf(req).label, ...(body.reason === undefined ? {} : { why: body.reason }), ...(expectRevision === undefined ? {} : { expectRevision }) };
    const change = await store.rollback(route.id, body.tenant ?? null, meta);
    res.setHeader('etag', `"${change.version}"`).json({ change });
  });

  router.get('/audit', async (req, res) => {
    const q = parseInput(auditQuery, req.query);
    const limit = Number(q.limit);
    if (!(limit >= 1 && limit <= MAX_AUDIT_LIMIT)) throw new GatewayError('GW_ERR_ADMIN_BAD_REQUEST', { params: { detail: `limit must be an integer from 1 to ${MAX_AUDIT_LIMIT}` } });
    const page = await store.auditPage({
      limit,
      ...(q.route === undefined ? {} : { routeId: q.route }),
      ...(q.tenant === undefined ? {} : { tenant: q.tenant === '*' ? null : q.tenant }),
      ...(q.since === undefined ? {} : { since: new Date(q.since) }),
      ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
    });
    res.json(page);
  });

  router.get('/fleet', async (_req, res) => {
    res.json(await store.fleet());
  });

  return router;
}
