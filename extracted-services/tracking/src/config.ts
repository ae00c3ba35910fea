/**
 * The tracking service's one configuration schema (zod): Mautic's settings that
 * tracking reads (the same `MAUTIC_*` variables as the stand-in,
 * docs/mautic/public-http.md §2.2–2.4), and the service's own. Validated at
 * start-up; every problem is reported with its path.
 */
import { z } from 'zod';
import { DEFAULT_DO_NOT_TRACK_BOTS } from '../../../legacy-adapter/src/codecs/mautic-client-ip.ts';

/** Port of the tracking service in the local stack (docs/architecture.md §9). */
export const DEFAULT_TRACKING_PORT = 8101;

const list = z.array(z.string());

/** Mautic's configuration keys tracking honours, with Mautic 5's defaults. */
export const mauticSettingsSchema = z.object({
  /** `site_url`: origin of every absolute URL (the gateway's public URL); no trailing slash. */
  siteUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080').transform((u) => u.replace(/\/+$/, '')),
  /** `cookie_secure` (§2.2): true even on http sites, as in Mautic. */
  cookieSecure: z.boolean().default(true),
  cookiePath: z.string().default('/'),
  /** `cookie_domain`: '' omits the attribute. */
  cookieDomain: z.string().default(''),
  cookieHttpOnly: z.boolean().default(false),
  /** `track_private_ip_ranges` (§2.4). */
  trackPrivateIpRanges: z.boolean().default(false),
  /** `do_not_track_ips`: exact, `/regex/` or CIDR entries (§2.4). */
  doNotTrackIps: list.default([]),
  doNotTrackInternalIps: list.default([]),
  /** `do_not_track_bots`: User-Agent substrings; the service also asks `isbot` (README § Differences). */
  doNotTrackBots: list.default([...DEFAULT_DO_NOT_TRACK_BOTS]),
  /** `anonymize_ip`: store `*.*.*.*`. */
  anonymizeIp: z.boolean().default(false),
  /** `track_contact_by_ip` (§2.1 step 6). */
  trackContactByIp: z.boolean().default(false),
  /** `cors_restrict_domains` and `cors_valid_domains` (§2.3). */
  corsRestrictDomains: z.boolean().default(true),
  corsValidDomains: list.default([]),
}).strict();

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
  /** PHP's `post_max_size` (8 MiB): a larger form body leaves `$_POST` empty, as in Mautic. */
  maxBodyBytes: z.number().int().positive().default(8 * 1024 * 1024),
}).strict();

/** Mautic's settings as the service uses them (frozen). */
export type MauticSettings = z.infer<typeof mauticSettingsSchema>;
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
