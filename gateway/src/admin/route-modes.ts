/**
 * The effective mode of each route per tenant, and where it comes from: the
 * tenant's flag (`tenant-override`), the global flag (`flag`) or the
 * catalogue default legacy (`default`), the same order resolve uses.
 */
import { valueOf } from '../flags/snapshot.ts';
import { flagKey, revisionOf, type FlagSnapshot } from '../flags/store.ts';
import type { CompiledRoute } from '../routing/types.ts';
import type { z } from 'zod';
import type { routeModesSchema } from './api-schemas.ts';

/** One route as `GET /admin/routes` answers it. */
export type RouteModes = z.output<typeof routeModesSchema>;

/**
 * Describes `route` for `tenants`.
 *
 * @example routeModes(catalogue.byId('tracking.pixel'), store.snapshot(), ['default', 'acme'])
 */
export function routeModes(route: CompiledRoute, snapshot: FlagSnapshot, tenants: readonly string[]): RouteModes {
  const global = snapshot.flags.get(flagKey(route.id, null));
  return {
    id: route.id, area: route.area, methods: route.methods ? [...route.methods] : null, upstream: route.upstream, replayable: route.replayable, journeyGroup: route.journeyGroup,
    global: { flag: global ? valueOf(global) : null, revision: revisionOf(snapshot, route.id, null) },
    tenants: tenants.map((tenant) => {
      const own = snapshot.flags.get(flagKey(route.id, tenant));
      const flag = own ?? global;
      const source = own ? 'tenant-override' : global ? 'flag' : 'default';
      return { tenant, ...(flag ? valueOf(flag) : { mode: 'legacy' as const }), source, revision: revisionOf(snapshot, route.id, tenant) };
    }),
  };
}
