/**
 * Builds the guard from the configuration: the Redis lock when the flag store
 * is Redis (`services.redisUrl`), the memory lock otherwise, and the routes it
 * may watch (those with a new upstream).
 */
import type { Registry } from 'prom-client';
import type { GatewayConfig, GuardThresholds } from '../config/schema.ts';
import type { FlagStore } from '../flags/store.ts';
import { createGuard, type Guard } from './guard.ts';
import { createMemoryLock } from './lock.ts';
import { createRedisLock } from './redis-lock.ts';

/**
 * Opens the configured guard; its timer runs until `stop()`.
 *
 * @param movableRoutes - ids of the catalogue routes that have a new upstream.
 */
export function openGuard(config: GatewayConfig, store: FlagStore, movableRoutes: ReadonlySet<string>, registry?: Registry): Guard {
  const { redisUrl } = config.services;
  // A guard turned off never acts: no connection for its lock.
  const lock = redisUrl === undefined || !config.guard.enabled
    ? createMemoryLock()
    : createRedisLock({ url: redisUrl, keyPrefix: config.flags.redisKeyPrefix, commandTimeoutMs: config.flags.redisCommandTimeoutMs });
  const routeThresholds: Record<string, Partial<GuardThresholds> | undefined> = {};
  for (const [routeId, settings] of Object.entries(config.routes)) routeThresholds[routeId] = settings.guard;
  return createGuard({ settings: config.guard, routeThresholds, movableRoutes, store, lock, ...(registry ? { registry } : {}) });
}
