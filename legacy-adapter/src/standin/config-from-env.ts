/**
 * The stand-in's configuration from environment variables named like Mautic's
 * own (`MAUTIC_<CONFIG_KEY>`, docs/mautic/public-http.md §2.8), for `npm start` and
 * `npm run serve -- legacy-standin`. Unset variables keep Mautic's defaults.
 */
import { standinConfig } from './deps.ts';
import type { StandinConfig } from './deps.ts';

type Env = Record<string, string | undefined>;

const BOOLEAN_KEYS = {
  MAUTIC_COOKIE_SECURE: 'cookieSecure',
  MAUTIC_COOKIE_HTTPONLY: 'cookieHttpOnly',
  MAUTIC_TRACK_PRIVATE_IP_RANGES: 'trackPrivateIpRanges',
  MAUTIC_ANONYMIZE_IP: 'anonymizeIp',
  MAUTIC_TRACK_CONTACT_BY_IP: 'trackContactByIp',
  MAUTIC_DO_NOT_TRACK_404_ANONYMOUS: 'doNotTrack404Anonymous',
  MAUTIC_CORS_RESTRICT_DOMAINS: 'corsRestrictDomains',
  MAUTIC_API_ENABLED: 'apiEnabled',
  MAUTIC_API_ENABLE_BASIC_AUTH: 'apiEnableBasicAuth',
} as const;

const LIST_KEYS = {
  MAUTIC_DO_NOT_TRACK_IPS: 'doNotTrackIps',
  MAUTIC_DO_NOT_TRACK_INTERNAL_IPS: 'doNotTrackInternalIps',
  MAUTIC_DO_NOT_TRACK_BOTS: 'doNotTrackBots',
  MAUTIC_CORS_VALID_DOMAINS: 'corsValidDomains',
} as const;

/** A bad variable: all of them are reported at once. */
export class StandinConfigError extends Error {
  readonly code = 'STANDIN_CONFIG_INVALID';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid stand-in configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'StandinConfigError';
    this.problems = problems;
  }
}

/**
 * Reads `MAUTIC_SITE_URL` (default `http://127.0.0.1:${PORT ?? 8080}`, the
 * gateway), `MAUTIC_SECRET_KEY`, `MAUTIC_COOKIE_PATH`, `MAUTIC_COOKIE_DOMAIN`, `MAUTIC_UPLOAD_DIR`,
 * the booleans (`1/0/true/false`) and comma lists above.
 *
 * @throws StandinConfigError listing every invalid variable.
 * @example
 * const config = standinConfigFromEnv(process.env);
 */
export function standinConfigFromEnv(env: Env): StandinConfig {
  const problems: string[] = [];
  const overrides: Partial<Record<keyof StandinConfig, unknown>> = {};
  const siteUrl = env.MAUTIC_SITE_URL ?? `http://127.0.0.1:${env.PORT ?? 8080}`;
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(siteUrl)) problems.push(`MAUTIC_SITE_URL must be an http(s) URL, got ${JSON.stringify(siteUrl)}`);
  overrides.siteUrl = siteUrl;
  if (env.MAUTIC_SECRET_KEY !== undefined) {
    if (env.MAUTIC_SECRET_KEY.length < 16) problems.push('MAUTIC_SECRET_KEY must have at least 16 characters');
    overrides.secretKey = env.MAUTIC_SECRET_KEY;
  }
  if (env.MAUTIC_COOKIE_PATH !== undefined) overrides.cookiePath = env.MAUTIC_COOKIE_PATH;
  if (env.MAUTIC_UPLOAD_DIR) overrides.uploadDir = env.MAUTIC_UPLOAD_DIR;
  if (env.MAUTIC_COOKIE_DOMAIN !== undefined) overrides.cookieDomain = env.MAUTIC_COOKIE_DOMAIN;
  for (const [name, key] of Object.entries(BOOLEAN_KEYS)) {
    const raw = env[name];
    if (raw === undefined) continue;
    if (/^(1|true|yes|on)$/i.test(raw)) overrides[key] = true;
    else if (/^(0|false|no|off)$/i.test(raw)) overrides[key] = false;
    else problems.push(`${name} must be true or false, got ${JSON.stringify(raw)}`);
  }
  for (const [name, key] of Object.entries(LIST_KEYS)) {
    const raw = env[name];
    if (raw !== undefined) overrides[key] = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
  if (problems.length > 0) throw new StandinConfigError(problems);
  return standinConfig(overrides as Partial<StandinConfig>);
}
