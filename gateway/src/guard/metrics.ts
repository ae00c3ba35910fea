/**
 * The guard's metric: one counter of the steps back it took, by route, tenant,
 * modes and trigger. Only the replica that acted counts it, so a sum over the
 * fleet is the number of actions. `/metrics` (observability) exposes the registry.
 */
import { Counter, register, type Registry } from 'prom-client';

/** Name of the counter. */
export const GUARD_ACTIONS_METRIC = 'strangler_guard_actions_total';

/** Labels of the counter. */
export type GuardActionLabel = 'route' | 'tenant' | 'from' | 'to' | 'trigger';

/**
 * The counter in `registry` (default: prom-client's default registry); the one already there when
 * another gateway of the same process registered it.
 *
 * @example guardActionsCounter().inc({ route: 'tracking.pixel', tenant: 'default', from: 'canary', to: 'shadow', trigger: 'error-rate' });
 */
export function guardActionsCounter(registry: Registry = register): Counter<GuardActionLabel> {
  const existing = registry.getSingleMetric(GUARD_ACTIONS_METRIC);
  if (existing) return existing as Counter<GuardActionLabel>;
  return new Counter({
    name: GUARD_ACTIONS_METRIC,
    help: 'Routes the guard moved one stage back (extracted → canary → shadow → legacy), by route, tenant, from and to mode, and the threshold crossed',
    labelNames: ['route', 'tenant', 'from', 'to', 'trigger'],
    registers: [registry],
  });
}
