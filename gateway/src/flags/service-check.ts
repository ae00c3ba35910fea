/**
 * A mode other than legacy sends requests to the route's new service, so that
 * service must exist for every tenant the change reaches: the named tenant, or
 * for a global change every tenant without its own flag on the route.
 */
import { GatewayError } from '../errors.ts';
import type { Flag, NewUpstreamName } from '../model.ts';
import type { CompiledRoute } from '../routing/types.ts';
import { flagKey, type FlagSnapshot } from './store.ts';

/** The new services each tenant has (`tenants[].services`; unset: every new upstream). */
export type TenantServices = ReadonlyMap<string, ReadonlySet<NewUpstreamName>>;

/**
 * Returns 412 GW_ERR_ADMIN_ROUTE_NOT_SERVED when the route's service does not answer the route
 * yet (routes/: no `served`), 412 GW_ERR_ADMIN_SERVICE_NOT_CONFIGURED when `flag` would send a
 * tenant to a service it does not have, else null.
 *
 * @example checkServiceConfigured(route, { routeId, tenant: 'acme', mode: 'extracted' }, services, snapshot)
 */
export function checkServiceConfigured(route: CompiledRoute, flag: Flag, services: TenantServices, snapshot: FlagSnapshot): GatewayError | null {
  const upstream = route.upstream;
  if (flag.mode === 'legacy' || upstream === null) return null;
  if (route.served !== true) return new GatewayError('GW_ERR_ADMIN_ROUTE_NOT_SERVED', { params: { mode: flag.mode, routeId: route.id, upstream } });
  const reached = flag.tenant !== null ? [flag.tenant] : [...services.keys()].filter((t) => !snapshot.flags.has(flagKey(route.id, t)));
  const missing = reached.filter((t) => services.get(t)?.has(upstream) === false);
  if (missing.length === 0) return null;
  return new GatewayError('GW_ERR_ADMIN_SERVICE_NOT_CONFIGURED', { params: { mode: flag.mode, routeId: route.id, upstream, tenants: missing.join(', ') } });
}
