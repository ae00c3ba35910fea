/**
 * Chooses the flag store from the configuration: Redis when
 * `services.redisUrl` is set, the memory store otherwise (embedded default).
 */
import type { GatewayConfig } from '../config/schema.ts';
import { NEW_UPSTREAM_NAMES, type NewUpstreamName } from '../model.ts';
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

/** The new services of every tenant: `tenants[].services`, every new upstream when unset and for `default`. */
export function tenantServicesOf(config: GatewayConfig): TenantServices {
  const services = new Map<string, ReadonlySet<NewUpstreamName>>([['default', new Set(NEW_UPSTREAM_NAMES)]]);
  for (const t of config.tenants) services.set(t.id, new Set(t.services ?? NEW_UPSTREAM_NAMES));
  return services;
}
