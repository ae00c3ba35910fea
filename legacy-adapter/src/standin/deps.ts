/**
 * What the stand-in monolith is built from: the database, its configuration
 * (the subset of Mautic's `local.php` keys the public endpoints read), a mail
 * transport and a clock. Every stand-in router takes one `StandinDeps`.
 */
import type { Db } from '../db/types.ts';
import type { Mailer } from '../mail/types.ts';
import { DEFAULT_DO_NOT_TRACK_BOTS } from '../codecs/mautic-client-ip.ts';
import { DEV_SECRET_KEY } from '../codecs/ids.ts';

/**
 * The Mautic configuration keys the stand-in honours, with Mautic 5's defaults
 * unless noted. Section numbers point into docs/mautic/public-http.md.
 */
export interface StandinConfig {
  /**
   * `site_url`: the origin every absolute URL is built from (§1.1). It is the
   * gateway's public URL, not the stand-in's own address, because Mautic never
   * uses the incoming Host. Default `http://127.0.0.1:8080`. No trailing slash.
   */
  siteUrl: string;
  /**
   * `secret_key`: key of the unsubscribe HMAC (§3.8). Share it with the real
   * monolith or old links break. Default: a fixed development key.
   */
  secretKey: string;
  /** `cookie_secure` (§2.2). Default `true`, even on http sites, as in Mautic. */
  cookieSecure: boolean;
  /** `cookie_path` (§2.2). Default `/`. */
  cookiePath: string;
  /** `cookie_domain` (§2.2). Default `''`, which omits the attribute. */
  cookieDomain: string;
  /** `cookie_httponly` (§2.2). Default `false`. */
  cookieHttpOnly: boolean;
  /**
   * `track_private_ip_ranges` (§2.4). Default `false`: a private or loopback
   * client IP then resolves to `127.0.0.1`, which is still stored and tracked.
   */
  trackPrivateIpRanges: boolean;
  /** `do_not_track_ips`: exact IPs, `/regex/` or CIDR entries (§2.4). Default `[]`. */
  doNotTrackIps: readonly string[];
  /** `do_not_track_internal_ips`: also dropped from X-Forwarded-For lists (§2.4). Default `[]`. */
  doNotTrackInternalIps: readonly string[];
  /** `do_not_track_bots`: User-Agent substrings (§2.4). Default: a short excerpt of Mautic's ~390 names. */
  doNotTrackBots: readonly string[];
  /** `anonymize_ip` (§2.4): store `*.*.*.*` instead of the address. Default `false`. */
  anonymizeIp: boolean;
  /** `track_contact_by_ip` (§2.1 step 6). Default `false`. */
  trackContactByIp: boolean;
  /**
   * `do_not_track_404_anonymous` (§3.13): skip the 404 page hit — and the
   * anonymous contact it creates — for visitors who are not identified. Default `false`.
   */
  doNotTrack404Anonymous: boolean;
  /** `cors_restrict_domains` (§2.3). Default `true`. */
  corsRestrictDomains: boolean;
  /** `cors_valid_domains`: exact origins or shell wildcards (§2.3). Default `[]`. */
  corsValidDomains: readonly string[];
  /**
   * `api_enabled` (§5.1). Mautic's default is `false`; the stand-in defaults to
   * `true` because it exists to serve the sending API in development.
   */
  apiEnabled: boolean;
  /** `api_enable_basic_auth` (§5.1). Mautic's default is `false`; the stand-in's is `true` (see apiEnabled). */
  apiEnableBasicAuth: boolean;
  /**
   * `upload_dir`: the folder of local assets' files, attached to emails (§5.3
   * `assetAttachments`). Default `media/files`, relative to the working directory, as Mautic's.
   */
  uploadDir: string;
}

/** Everything a stand-in router needs. */
export interface StandinDeps {
  /** The Mautic database (MySQL/MariaDB or SQLite). */
  db: Db;
  config: StandinConfig;
  /** Transport for sent emails. */
  mailer: Mailer;
  /** Clock; defaults to `() => new Date()`. Tests inject one for deterministic dates and cookie expiries. */
  now?: () => Date;
}

/**
 * Builds a complete, frozen configuration from Mautic's defaults plus overrides.
 *
 * @example
 * const config = standinConfig({ siteUrl: 'https://mautic.example.com', cookieSecure: true })
 */
export function standinConfig(overrides: Partial<StandinConfig> = {}): StandinConfig {
  const config: StandinConfig = {
    siteUrl: 'http://127.0.0.1:8080',
    secretKey: DEV_SECRET_KEY,
    uploadDir: 'media/files',
    cookieSecure: true,
    cookiePath: '/',
    cookieDomain: '',
    cookieHttpOnly: false,
    trackPrivateIpRanges: false,
    doNotTrackIps: [],
    doNotTrackInternalIps: [],
    doNotTrackBots: DEFAULT_DO_NOT_TRACK_BOTS,
    anonymizeIp: false,
    trackContactByIp: false,
    doNotTrack404Anonymous: false,
    corsRestrictDomains: true,
    corsValidDomains: [],
    apiEnabled: true,
    apiEnableBasicAuth: true,
    ...overrides,
  };
  config.siteUrl = config.siteUrl.replace(/\/+$/, '');
  return Object.freeze(config);
}

/** The clock of `deps`: the injected one, or the system clock. */
export function clockOf(deps: Pick<StandinDeps, 'now'>): () => Date {
  return deps.now ?? (() => new Date());
}
