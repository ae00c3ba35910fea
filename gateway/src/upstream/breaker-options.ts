/**
 * Options of the breakers, validated once. Every duration is in milliseconds.
 * The defaults are the configuration schema's (written once, in config/schema.ts).
 */
import { BREAKER_DEFAULTS } from '../config/schema.ts';
import { GatewayError } from '../errors.ts';

/** How the breakers judge a new upstream. Every field is optional; unset ones take `BREAKER_DEFAULTS` (`breaker.*` of the schema). */
export interface BreakerOptions {
  /** Failure percentage (1–100) in the rolling window above which a breaker opens. */
  readonly errorThresholdPercentage?: number;
  /** How long an open breaker waits before letting one trial request through (half-open). */
  readonly resetTimeoutMs?: number;
  /** Requests that must be seen in the rolling window before the breaker may open. */
  readonly volumeThreshold?: number;
  /** Length of the rolling window the percentage is computed over. */
  readonly rollingCountTimeoutMs?: number;
  /** Buckets the rolling window is split into; it slides one bucket at a time. */
  readonly rollingCountBuckets?: number;
}

/** BreakerOptions with every default applied. */
export type ResolvedBreakerOptions = { readonly [K in keyof typeof BREAKER_DEFAULTS]: number };

// The schema's bounds too (config/schema.ts `breaker`), for callers that do not pass through it.
const LIMITS: Readonly<Record<keyof typeof BREAKER_DEFAULTS, readonly [number, number]>> = {
  errorThresholdPercentage: [1, 100],
  resetTimeoutMs: [1, 3_600_000],
  volumeThreshold: [0, 1_000_000],
  rollingCountTimeoutMs: [1, 3_600_000],
  rollingCountBuckets: [1, 1000],
};

/** Applies defaults and validates; throws GW_ERR_CONFIG_INVALID listing every problem. */
export function resolveBreakerOptions(opts: BreakerOptions): ResolvedBreakerOptions {
  const problems: string[] = [];
  const resolved = {} as Record<keyof typeof BREAKER_DEFAULTS, number>;
  for (const field of Object.keys(BREAKER_DEFAULTS) as Array<keyof typeof BREAKER_DEFAULTS>) {
    const value = opts[field] ?? BREAKER_DEFAULTS[field];
    const [min, max] = LIMITS[field];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${field} must be an integer from ${min} to ${max}, got ${String(value)}`);
    }
    resolved[field] = value;
  }
  if (problems.length === 0 && resolved.rollingCountTimeoutMs % resolved.rollingCountBuckets !== 0) {
    problems.push('rollingCountTimeoutMs must be a multiple of rollingCountBuckets');
  }
  if (problems.length > 0) {
    throw new GatewayError('GW_ERR_CONFIG_INVALID', { params: { detail: `breaker: ${problems.join('; ')}` }, details: { problems } });
  }
  return resolved;
}
