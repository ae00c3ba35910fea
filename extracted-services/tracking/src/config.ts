/**
 * The tracking service's one configuration schema (zod): Mautic's settings that
 * tracking reads (the same `MAUTIC_*` variables as the stand-in,
 * docs/mautic/public-http.md §2.2–2.4), and the service's own. Validated at
 * start-up; every problem is reported with its path.
 */
import { z } from 'zod';
import { mauticSettingsSchema } from '../../service-kit/mautic-settings.ts';

/** Port of the tracking service in the local stack (docs/architecture.md §9). */
export const DEFAULT_TRACKING_PORT = 8101;

/** The service's own settings. */
export const trackingConfigSchema = z.object({
  mautic: mauticSettingsSchema.default(() => mauticSettingsSchema.parse({})),
  /**
   * Lock-wait and statement timeout of a dry run, in ms (docs/architecture.md §5: a few
   * hundred, so a shadow request never holds the monolith up).
   */
  dryRunLockTimeoutMs: z.number().int().min(1).max(10_000).default(300),
  /**
   * Who is a bot (§2.4, §9.3): `mautic-list`, the default, is Mautic's rule, a User-Agent
   * that contains a `do_not_track_bots` name (which already counts curl, wget and the common
   * HTTP libraries); `isbot` adds that maintained detector on top (headless browsers, page
   * speed tools…), so the service then keeps fewer visitors than the monolith does.
   */
  botDetector: z.enum(['isbot', 'mautic-list']).default('mautic-list'),
  /**
   * Fast mode (README § Fast mode; off by default, as Mautic behaves): the pixel is answered
   * at once and the whole hit queued. Needs the queue (REDIS_URL). One deployment serves one
   * tenant, so this is the tenant's switch.
   */
  fastMode: z.boolean().default(false),
  /** The Redis Stream of phase-2 messages (its dead letters: the same name + `:dead`); one per tenant on a shared Redis. */
  hitStream: z.string().min(1).max(200).default('strangler:tracking:hits'),
  /**
   * The contact cache (README § Contact cache): tracking ids of returning devices kept per
   * process (about 600 bytes each: 50,000 take ~30 MB; 0 turns the whole cache off), how long an unused one stays,
   * and how long the publicly updatable fields are kept (0: read for every hit), in ms.
   */
  contactCache: z.object({
    maxEntries: z.number().int().min(0).max(10_000_000).default(50_000),
    ttlMs: z.number().int().min(1_000).max(7 * 24 * 3_600_000).default(3_600_000),
    fieldsTtlMs: z.number().int().min(0).max(3_600_000).default(10_000),
  }).strict().default({ maxEntries: 50_000, ttlMs: 3_600_000, fieldsTtlMs: 10_000 }),
  /** Connections of the service's (and the worker's) MySQL pool. */
  dbPoolSize: z.number().int().min(1).max(200).default(10),
  /** Messages the worker completes per transaction. */
  workerBatchSize: z.number().int().min(1).max(5000).default(200),
  /** PHP's `post_max_size` (8 MiB): a larger form body leaves `$_POST` empty, as in Mautic. */
  maxBodyBytes: z.number().int().positive().default(8 * 1024 * 1024),
}).strict();

/** The validated configuration (frozen). */
export type TrackingConfig = z.infer<typeof trackingConfigSchema>;

/** A configuration with problems; all of them are listed. */
export class TrackingConfigError extends Error {
  readonly code = 'TRK_ERR_CONFIG_INVALID';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid tracking configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'TrackingConfigError';
    this.problems = problems;
  }
}

/**
 * Validates and freezes a configuration; missing keys get their defaults.
 *
 * @throws TrackingConfigError naming every bad path.
 * @example
 * const config = trackingConfig({ mautic: { siteUrl: 'https://m.example.com' } });
 */
export function trackingConfig(input: unknown = {}): TrackingConfig {
  const parsed = trackingConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new TrackingConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const config = parsed.data;
  Object.freeze(config.mautic);
  return Object.freeze(config);
}
