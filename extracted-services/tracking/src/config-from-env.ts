/**
 * The tracking configuration from the environment: the `MAUTIC_*` variables (read by
 * service-kit/mautic-settings.ts, as every service reads them) and the `TRACKING_*` ones.
 */
import { mauticSettingsFromEnv, parseEnvValue } from '../../service-kit/mautic-settings.ts';
import { TrackingConfigError, trackingConfig } from './config.ts';
import type { TrackingConfig } from './config.ts';

type Env = Record<string, string | undefined>;

/**
 * Reads `MAUTIC_*` (site URL default: the gateway on `http://127.0.0.1:8080`) and
 * `TRACKING_DRY_RUN_LOCK_TIMEOUT_MS`, `TRACKING_BOT_DETECTOR`, `TRACKING_FAST_MODE` (needs `REDIS_URL`),
 * `TRACKING_HIT_STREAM`, `TRACKING_WORKER_BATCH_SIZE`, `TRACKING_DB_POOL_SIZE`, `TRACKING_CONTACT_CACHE_SIZE`,
 * `TRACKING_CONTACT_CACHE_TTL_MS` and `TRACKING_CONTACT_FIELDS_TTL_MS`.
 *
 * @throws TrackingConfigError listing every bad variable.
 * @example
 * const config = trackingConfigFromEnv(process.env);
 */
export function trackingConfigFromEnv(env: Env): TrackingConfig {
  const problems: string[] = [];
  const input: Record<string, unknown> = { mautic: mauticSettingsFromEnv(env, problems) };
  const lockMs = env.TRACKING_DRY_RUN_LOCK_TIMEOUT_MS;
  if (lockMs !== undefined) input.dryRunLockTimeoutMs = Number(lockMs);
  if (env.TRACKING_BOT_DETECTOR !== undefined) input.botDetector = env.TRACKING_BOT_DETECTOR;
  if (env.TRACKING_HIT_STREAM !== undefined) input.hitStream = env.TRACKING_HIT_STREAM;
  if (env.TRACKING_WORKER_BATCH_SIZE !== undefined) input.workerBatchSize = Number(env.TRACKING_WORKER_BATCH_SIZE);
  if (env.TRACKING_DB_POOL_SIZE !== undefined) input.dbPoolSize = Number(env.TRACKING_DB_POOL_SIZE);
  const cacheKeys = { maxEntries: env.TRACKING_CONTACT_CACHE_SIZE, ttlMs: env.TRACKING_CONTACT_CACHE_TTL_MS, fieldsTtlMs: env.TRACKING_CONTACT_FIELDS_TTL_MS };
  const cacheSet = Object.entries(cacheKeys).filter(([, value]) => value !== undefined);
  if (cacheSet.length > 0) input.contactCache = Object.fromEntries(cacheSet.map(([key, value]) => [key, Number(value)]));
  const fast = env.TRACKING_FAST_MODE;
  if (fast !== undefined) input.fastMode = parseEnvValue('TRACKING_FAST_MODE', fast, false, problems);
  if (input.fastMode === true && !env.REDIS_URL) problems.push('TRACKING_FAST_MODE: fast mode queues every hit, so it needs REDIS_URL');
  if (problems.length > 0) throw new TrackingConfigError(problems);
  return trackingConfig(input);
}
