/**
 * Opens the comparison side of a process from the configuration: the diff store (memory
 * when `services.redisUrl` is unset, the capped Redis store otherwise), the per-route stats
 * and the recorder over them.
 */
import { Redis } from 'ioredis';
import type { GatewayError } from '../errors.ts';
import type { GatewayConfig } from '../config/schema.ts';
import { createComparisonRecorder, type ComparisonRecorder } from './comparison-recorder.ts';
import { createComparisonStats } from './comparison-stats.ts';
import { createMemoryDiffStore } from './memory-diff-store.ts';
import { createRedisDiffStore, requestPathRedisOptions } from './redis-diff-store.ts';

/** The opened comparison side and how to close it. */
export interface OpenedComparison {
  readonly recorder: ComparisonRecorder;
  /** Which store holds the diff records. */
  readonly storeKind: 'memory' | 'redis';
  /** Quits the Redis client, if any. */
  close(): Promise<void>;
}

/**
 * Opens it.
 *
 * @param report - told about dropped or invalid records and failing listeners, for the log.
 * @example const comparison = openComparison(config, (err) => logger.warn({ err }, LOG_LINES.diffStoreProblem));
 */
export function openComparison(config: GatewayConfig, report: { store: (e: GatewayError) => void; listener: (err: unknown) => void; redis: (err: Error) => void }): OpenedComparison {
  const settings = config.comparison;
  const url = config.services.redisUrl;
  const redis = url === undefined ? undefined : new Redis(url, { ...requestPathRedisOptions(settings.store.redisCommandTimeoutMs), lazyConnect: false });
  redis?.on('error', report.redis);
  const storeOptions = { maxRecordsPerRoute: settings.store.maxRecordsPerRoute, onError: report.store };
  const store = redis ? createRedisDiffStore({ ...storeOptions, redis, keyPrefix: settings.store.redisKeyPrefix }) : createMemoryDiffStore(storeOptions);
  const recorder = createComparisonRecorder({ stats: createComparisonStats(), store, settings, onListenerError: report.listener });
  return {
    recorder,
    storeKind: redis ? 'redis' : 'memory',
    close: async () => {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
