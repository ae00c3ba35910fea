/**
 * The tracking configuration from the environment: every Mautic key is read from
 * `MAUTIC_<KEY>` as Mautic exports them (docs/mautic/public-http.md §2.8), e.g.
 * `cookieSecure` from `MAUTIC_COOKIE_SECURE`; booleans are `1/0/true/false`, lists are
 * comma-separated. The variable names are derived from the schema, so a new key needs no
 * second list.
 */
import { TrackingConfigError, mauticSettingsSchema, trackingConfig } from './config.ts';
import type { TrackingConfig } from './config.ts';

type Env = Record<string, string | undefined>;

/** `cookieSecure` → `MAUTIC_COOKIE_SECURE`. */
export function mauticEnvName(key: string): string {
  return `MAUTIC_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function parseValue(name: string, raw: string, sample: unknown, problems: string[]): unknown {
  if (Array.isArray(sample)) return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (typeof sample !== 'boolean') return raw;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name}: must be true or false, got ${JSON.stringify(raw)}`);
  return undefined;
}

/**
 * Reads `MAUTIC_*` (site URL default: the gateway on `http://127.0.0.1:8080`) and
 * `TRACKING_DRY_RUN_LOCK_TIMEOUT_MS`, `TRACKING_BOT_DETECTOR`, `TRACKING_FAST_MODE` (needs `REDIS_URL`),
 * `TRACKING_HIT_STREAM`, `TRACKING_WORKER_BATCH_SIZE` and `TRACKING_DB_POOL_SIZE`.
 *
 * @throws TrackingConfigError listing every bad variable.
 * @example
 * const config = trackingConfigFromEnv(process.env);
 */
export function trackingConfigFromEnv(env: Env): TrackingConfig {
  const problems: string[] = [];
  const defaults = mauticSettingsSchema.parse({}) as Record<string, unknown>;
  const mautic: Record<string, unknown> = {};
  for (const [key, sample] of Object.entries(defaults)) {
    const name = mauticEnvName(key);
    const raw = env[name];
    if (raw !== undefined) mautic[key] = parseValue(name, raw, sample, problems);
  }
  const input: Record<string, unknown> = { mautic };
  const lockMs = env.TRACKING_DRY_RUN_LOCK_TIMEOUT_MS;
  if (lockMs !== undefined) input.dryRunLockTimeoutMs = Number(lockMs);
  if (env.TRACKING_BOT_DETECTOR !== undefined) input.botDetector = env.TRACKING_BOT_DETECTOR;
  if (env.TRACKING_HIT_STREAM !== undefined) input.hitStream = env.TRACKING_HIT_STREAM;
  if (env.TRACKING_WORKER_BATCH_SIZE !== undefined) input.workerBatchSize = Number(env.TRACKING_WORKER_BATCH_SIZE);
  if (env.TRACKING_DB_POOL_SIZE !== undefined) input.dbPoolSize = Number(env.TRACKING_DB_POOL_SIZE);
  const fast = env.TRACKING_FAST_MODE;
  if (fast !== undefined) input.fastMode = parseValue('TRACKING_FAST_MODE', fast, false, problems);
  if (input.fastMode === true && !env.REDIS_URL) problems.push('TRACKING_FAST_MODE: fast mode queues every hit, so it needs REDIS_URL');
  if (problems.length > 0) throw new TrackingConfigError(problems);
  return trackingConfig(input);
}
