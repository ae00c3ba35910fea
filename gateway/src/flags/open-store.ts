/**
 * Chooses the flag store from the configuration: Redis when
 * `services.redisUrl` is set, the memory store otherwise (embedded default).
 */
import type { GatewayConfig } from '../config/schema.ts';
import type { NewUpstreamName } from '../routing/types.ts';
import { createMemoryFlagStore } from './memory-store.ts';
import { createRedisFlagStore, type RedisStoreEvent } from './redis-store.ts';
import type { TenantServices } from './service-check.ts';
import type { FlagStore } from './store.ts';

/**
 * Opens the configured store.
 *
 * @param onEvent - told when Redis goes away, comes back, or holds a bad entry.
 */
export function openFlagStore(config: GatewayConfig, onEvent: (e: RedisStoreEvent) => void): FlagStore {
  const { redisUrl } = config.services;
  if (redisUrl === undefined) return createMemoryFlagStore({ auditLimit: config.admin.auditLimit, ...(config.flags.replicaId ? { replicaId: config.flags.replicaId } : {}) });
  return createRedisFlagStore({ url: redisUrl, settings: config.flags, auditLimit: config.admin.auditLimit, onEvent });
}

const ALL_SERVICES: readonly NewUpstreamName[] = ['tracking', 'forms', 'sending'];

/** The new services of every tenant: `tenants[].services`, all three when unset and for `default`. */
export function tenantServicesOf(config: GatewayConfig): TenantServices {
  const services = new Map<string, ReadonlySet<NewUpstreamName>>([['default', new Set(ALL_SERVICES)]]);
  for (const t of config.tenants) services.set(t.id, new Set(t.services ?? ALL_SERVICES));
  return services;
}
