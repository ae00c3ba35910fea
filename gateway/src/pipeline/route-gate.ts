/**
 * The per-route caps on requests in flight (`routes.<routeId>.maxConcurrent`):
 * one slow route must not hold every connection of the pool its upstream
 * shares with the other routes. A request over its route's cap is refused
 * before any upstream is called (503 GW_ERR_ROUTE_CONCURRENCY_LIMIT). Per
 * gateway process; routes without a cap are not counted.
 */
import type { RouteSettings } from '../config/schema.ts';
import type { Catalogue } from '../routing/types.ts';

/** The caps of one gateway process. */
export interface RouteGate {
  /**
   * Takes a place for one request of `routeId`; false when the route is at its cap.
   * Every true must be paired with one `leave`.
   */
  enter(routeId: string): boolean;
  leave(routeId: string): void;
  /** The route's cap, or undefined when it has none. */
  limit(routeId: string): number | undefined;
}

/**
 * Builds the caps from `routes.*.maxConcurrent`.
 *
 * @example
 * const gate = createRouteGate({ 'legacy.default': { maxConcurrent: 200 } });
 * if (!gate.enter(route.id)) { ...answer 503... } else res.once('close', () => gate.leave(route.id));
 */
export function createRouteGate(routes: Readonly<Record<string, RouteSettings>>): RouteGate {
  const caps = new Map<string, { readonly limit: number; inFlight: number }>();
  for (const [routeId, settings] of Object.entries(routes)) {
    if (settings.maxConcurrent !== undefined) caps.set(routeId, { limit: settings.maxConcurrent, inFlight: 0 });
  }
  return {
    enter(routeId) {
      const cap = caps.get(routeId);
      if (cap === undefined) return true;
      if (cap.inFlight >= cap.limit) return false;
      cap.inFlight += 1;
      return true;
    },
    leave(routeId) {
      const cap = caps.get(routeId);
      if (cap !== undefined) cap.inFlight -= 1;
    },
    limit: (routeId) => caps.get(routeId)?.limit,
  };
}

/** Problems with `routes.*` that the schema cannot see: ids that are not in the catalogue. */
export function routeSettingsProblems(routes: Readonly<Record<string, RouteSettings>>, catalogue: Catalogue): string[] {
  return Object.keys(routes)
    .filter((routeId) => catalogue.byId(routeId) === undefined)
    .map((routeId) => `routes.${routeId}: No route with this id in the catalogue (GET /admin/routes lists them)`);
}
