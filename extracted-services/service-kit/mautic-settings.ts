/**
 * Mautic's configuration keys the extracted services honour, with Mautic 5's defaults (the same
 * `MAUTIC_*` variables as the stand-in, docs/mautic/public-http.md §2.2–2.4), and their reader
 * from the environment: every key from `MAUTIC_<KEY>` as Mautic exports them (§2.8), e.g.
 * `cookieSecure` from `MAUTIC_COOKIE_SECURE`. The variable names are derived from the schema, so
 * a new key needs no second list. Each service nests this schema in its own.
 */
import { z } from 'zod';
import { DEFAULT_DO_NOT_TRACK_BOTS } from '../../legacy-adapter/src/codecs/mautic-client-ip.ts';

type Env = Record<string, string | undefined>;

const list = z.array(z.string());

/** Mautic's configuration keys the services honour, with Mautic 5's defaults. */
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

/** Mautic's settings as the service uses them (frozen). */
export type MauticSettings = z.infer<typeof mauticSettingsSchema>;

/** `cookieSecure` → `MAUTIC_COOKIE_SECURE`. */
export function mauticEnvName(key: string): string {
  return `MAUTIC_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** A `MAUTIC_*`-style value typed as `sample` is: lists comma-separated, booleans `1/0/true/false/yes/no/on/off`. */
export function parseEnvValue(name: string, raw: string, sample: unknown, problems: string[]): unknown {
  if (Array.isArray(sample)) return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (typeof sample !== 'boolean') return raw;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name}: must be true or false, got ${JSON.stringify(raw)}`);
  return undefined;
}

/**
 * The Mautic settings given in `env` (unset ones are left out, for the schema's defaults); a
 * malformed boolean is added to `problems`.
 *
 * @example
 * const mautic = mauticSettingsFromEnv(process.env, problems);
 */
export function mauticSettingsFromEnv(env: Env, problems: string[]): Record<string, unknown> {
  const defaults = mauticSettingsSchema.parse({}) as Record<string, unknown>;
  const mautic: Record<string, unknown> = {};
  for (const [key, sample] of Object.entries(defaults)) {
    const name = mauticEnvName(key);
    const raw = env[name];
    if (raw !== undefined) mautic[key] = parseEnvValue(name, raw, sample, problems);
  }
  return mautic;
}
