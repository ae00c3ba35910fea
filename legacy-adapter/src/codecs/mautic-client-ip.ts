/**
 * How Mautic decides which client IP to record (IpLookupHelper,
 * docs/mautic/public-http.md §2.4). Both the stand-in and anything that forwards
 * to the real monolith need these facts: Mautic reads the headers below in
 * this order WITHOUT consulting `trusted_proxies`, and takes the first valid
 * (public) entry of a comma list — the leftmost, i.e. the one the client wrote.
 */
import { BlockList, isIP } from 'node:net';

/** Options of the IP rules (Mautic config keys in brackets). */
export interface MauticIpOptions {
  /** [track_private_ip_ranges] keep 10/8, 172.16/12, 192.168/16, fc00::/7; default false. */
  trackPrivateIpRanges: boolean;
  /** [do_not_track_internal_ips] entries dropped from comma lists. */
  doNotTrackInternalIps: readonly string[];
}

/** Request headers Mautic reads, in its order; REMOTE_ADDR (the socket) comes last. */
export const IP_HEADERS = ['client-ip', 'x-forwarded-for', 'x-forwarded', 'x-cluster-client-ip', 'forwarded-for', 'forwarded'] as const;

/**
 * Mautic's `do_not_track_bots` list as it ships (§2.4: "about 390 names", CoreBundle
 * Config/config.php), in its order. Matching is a case-sensitive substring test, as in Mautic,
 * so `curl/8.5.0`, `python-requests/2.31` and `Wget/1.21` are bots and no contact is made for them.
 */
export const DEFAULT_DO_NOT_TRACK_BOTS: readonly string[] = Object.freeze([
  'MSNBOT', 'msnbot-media', 'bingbot', 'Googlebot', 'Google Web Preview', 'Mediapartners-Google',
  'Baiduspider', 'Ezooms', 'YahooSeeker', 'Slurp', 'AltaVista', 'AVSearch', 'Mercator', 'Scooter', 'InfoSeek',
  'Ultraseek', 'Lycos', 'Wget', 'YandexBot', 'Java/1.4.1_04', 'SiteBot', 'Exabot', 'AhrefsBot', 'MJ12bot',
  'NetSeer crawler', 'TurnitinBot', 'magpie-crawler', 'Nutch Crawler', 'CMS Crawler', 'rogerbot', 'Domnutch',
  'ssearch_bot', 'XoviBot', 'digincore', 'fr-crawler', 'SeznamBot', 'Seznam screenshot-generator', 'Facebot',
  'facebookexternalhit', 'SimplePie', 'Riddler', '007ac9 Crawler', '360Spider', 'A6-Indexer', 'ADmantX', 'AHC',
  'AISearchBot', 'APIs-Google', 'Aboundex', 'AddThis', 'Adidxbot', 'AdsBot-Google', 'AdsTxtCrawler', 'AdvBot',
  'Ahrefs', 'AlphaBot', 'Amazon CloudFront', 'AndersPinkBot', 'Apache-HttpClient', 'Apercite',
  'AppEngine-Google', 'Applebot', 'ArchiveBot', 'BDCbot', 'BIGLOTRON', 'BLEXBot', 'BLP_bbot', 'BTWebClient',
  'BUbiNG', 'Baidu-YunGuanCe', 'Barkrowler', 'BehloolBot', 'BingPreview', 'BomboraBot', 'Bot.AraTurka.com',
  'BoxcarBot', 'BrandVerity', 'Buck', 'CC Metadata Scaper', 'CCBot', 'CapsuleChecker', 'Cliqzbot',
  'CloudFlare-AlwaysOnline', 'Companybook-Crawler', 'ContextAd Bot', 'CrunchBot', 'CrystalSemanticsBot',
  'CyberPatrol', 'DareBoost', 'Datafeedwatch', 'Daum', 'DeuSu', 'developers.google.com', 'Diffbot',
  'Digg Deeper', 'Digincore bot', 'Discordbot', 'Disqus', 'DnyzBot', 'Domain Re-Animator Bot',
  'DomainStatsBot', 'DuckDuckBot', 'DuckDuckGo-Favicons-Bot', 'EZID', 'Embedly', 'EveryoneSocialBot',
  'ExtLinksBot', 'FAST Enterprise Crawler', 'FAST-WebCrawler', 'Feedfetcher-Google', 'Feedly', 'Feedspotbot',
  'FemtosearchBot', 'Fetch', 'Fever', 'Flamingo_SearchEngine', 'FlipboardProxy', 'Fyrebot', 'GarlikCrawler',
  'Genieo', 'Gigablast', 'Gigabot', 'GingerCrawler', 'Gluten Free Crawler', 'GnowitNewsbot', 'Go-http-client',
  'Google-Adwords-Instant', 'Gowikibot', 'GrapeshotCrawler', 'Grobbot', 'HTTrack', 'Hatena', 'IAS crawler',
  'ICC-Crawler', 'IndeedBot', 'InterfaxScanBot', 'IstellaBot', 'James BOT', "Jamie's Spider", 'Jetslide',
  'Jetty', 'Jugendschutzprogramm-Crawler', 'K7MLWCBot', 'Kemvibot', 'KosmioBot', 'Landau-Media-Spider',
  'Laserlikebot', 'Leikibot', 'Linguee Bot', 'LinkArchiver', 'LinkedInBot', 'LivelapBot', 'Luminator-robots',
  'Mail.RU_Bot', 'Mastodon', 'MauiBot', 'Mediatoolkitbot', 'MegaIndex', 'MeltwaterNews', 'MetaJobBot',
  'MetaURI', 'Miniflux', 'MojeekBot', 'Moreover', 'MuckRack', 'Multiviewbot', 'NING', 'NerdByNature.Bot',
  'NetcraftSurveyAgent', 'Netvibes', 'Nimbostratus-Bot', 'Nuzzel', 'Ocarinabot', 'OpenHoseBot', 'OrangeBot',
  'OutclicksBot', 'PR-CY.RU', 'PaperLiBot', 'Pcore-HTTP', 'PhantomJS', 'PiplBot', 'PocketParser', 'Primalbot',
  'PrivacyAwareBot', 'Pulsepoint', 'Python-urllib', 'Qwantify', 'RankActiveLinkBot', 'RetrevoPageAnalyzer',
  'SBL-BOT', 'SEMrushBot', 'SEOkicks', 'SWIMGBot', 'SafeDNSBot', 'SafeSearch microdata crawler', 'ScoutJet',
  'Scrapy', 'Screaming Frog SEO Spider', 'SemanticScholarBot', 'SimpleCrawler', 'Siteimprove.com',
  'SkypeUriPreview', 'Slack-ImgProxy', 'Slackbot', 'Snacktory', 'SocialRankIOBot', 'Sogou', 'Sonic',
  'StorygizeBot', 'SurveyBot', 'Sysomos', 'TangibleeBot', 'TelegramBot', 'Teoma', 'Thinklab', 'TinEye',
  'ToutiaoSpider', 'Traackr.com', 'Trove', 'TweetmemeBot', 'Twitterbot', 'Twurly', 'Upflow', 'UptimeRobot',
  'UsineNouvelleCrawler', 'Veoozbot', 'WeSEE:Search', 'WhatsApp', 'Xenu Link Sleuth', 'Y!J', 'YaK',
  'Yahoo Link Preview', 'Yeti', 'YisouSpider', 'Zabbix', 'ZoominfoBot', 'ZumBot', 'ZuperlistBot', '^LCC ',
  'acapbot', 'acoonbot', 'adbeat_bot', 'adscanner', 'aiHitBot', 'antibot', 'arabot', 'archive.org_bot',
  'axios', 'backlinkcrawler', 'betaBot', 'bibnum.bnf', 'binlar', 'bitlybot', 'blekkobot', 'blogmuraBot',
  'bnf.fr_bot', 'bot-pge.chlooe.com', 'botify', 'brainobot', 'buzzbot', 'cXensebot', 'careerbot',
  'centurybot9', 'changedetection', 'check_http', 'citeseerxbot', 'coccoc', 'collection@infegy.com',
  'content crawler spider', 'contxbot', 'convera', 'crawler4j', 'curl', 'datagnionbot', 'dcrawl',
  'deadlinkchecker', 'discobot', 'domaincrawler', 'dotbot', 'drupact', 'ec2linkfinder', 'edisterbot',
  'electricmonk', 'elisabot', 'epicbot', 'eright', 'europarchive.org', 'exabot', 'ezooms', 'filterdb.iss.net',
  'findlink', 'findthatfile', 'findxbot', 'fluffy', 'fuelbot', 'g00g1e.net', 'g2reader-bot',
  'gnam gnam spider', 'google-xrawler', 'grub.org', 'gslfbot', 'heritrix', 'http_get', 'httpunit',
  'ia_archiver', 'ichiro', 'imrbot', 'integromedb', 'intelium_bot', 'ip-web-crawler.com', 'ips-agent',
  'iskanie', 'it2media-domain-crawler', 'jyxobot', 'lb-spider', 'libwww', 'linkapediabot', 'linkdex',
  'lipperhey', 'lssbot', 'lssrocketcrawler', 'ltx71', 'mappydata', 'memorybot', 'mindUpBot', 'mlbot',
  'moatbot', 'msnbot', 'msrbot', 'nerdybot', 'netEstate NE Crawler', 'netresearchserver', 'newsharecounts',
  'newspaper', 'niki-bot', 'nutch', 'okhttp', 'omgili', 'openindexspider', 'page2rss', 'panscient', 'phpcrawl',
  'pingdom', 'pinterest', 'postrank', 'proximic', 'psbot', 'purebot', 'python-requests', 'redditbot',
  'scribdbot', 'seekbot', 'semanticbot', 'sentry', 'seoscanners', 'seznambot', 'sistrix crawler', 'sitebot',
  'siteexplorer.info', 'smtbot', 'spbot', 'speedy', 'summify', 'tagoobot', 'toplistbot', 'tracemyfile',
  'trendictionbot', 'turnitinbot', 'twengabot', 'um-LN', 'urlappendbot', 'vebidoobot', 'vkShare', 'voilabot',
  'wbsearchbot', 'web-archive-net.com.bot', 'webcompanycrawler', 'webmon', 'wget', 'wocbot', 'woobot',
  'woriobot', 'wotbox', 'xovibot', 'yacybot', 'yandex.com', 'yanga', 'yoozBot', 'zgrab',
]);

/** What Mautic falls back to when no candidate is valid. */
export const FALLBACK_IP = '127.0.0.1';

const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

// PHP's FILTER_FLAG_NO_RES_RANGE (PHP 8.x), loopback included.
const RESERVED = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['127.0.0.0', 8], ['169.254.0.0', 16], ['240.0.0.0', 4]] as const) RESERVED.addSubnet(net, bits, 'ipv4');
// IPv4-mapped ranges are left out: BlockList would apply them to every IPv4 address.
for (const [net, bits] of [['::', 128], ['::1', 128], ['fe80::', 10], ['2001:db8::', 32]] as const) RESERVED.addSubnet(net, bits, 'ipv6');

/** FILTER_VALIDATE_IP without reserved ranges, and without private ones unless allowed. */
export function isValidPublicIp(ip: string, trackPrivateIpRanges: boolean): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (RESERVED.check(ip, type)) return false;
  return trackPrivateIpRanges || !PRIVATE.check(ip, type);
}

/** Does `ip` equal, regex-match (`/…/`) or CIDR-match an entry of `list`? */
export function ipMatchesList(ip: string, list: readonly string[]): boolean {
  return list.some((entry) => {
    if (entry === ip) return true;
    if (entry.length > 2 && entry.startsWith('/') && entry.lastIndexOf('/') > 0) {
      try {
        const last = entry.lastIndexOf('/');
        return new RegExp(entry.slice(1, last), entry.slice(last + 1)).test(ip);
      } catch {
        return false;
      }
    }
    const [net, bits] = entry.split('/');
    if (!net || bits === undefined || !/^[0-9]{1,3}$/.test(bits)) return false;
    const family = isIP(net);
    if (family === 0 || isIP(ip) !== family) return false;
    const block = new BlockList();
    try {
      block.addSubnet(net, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
    return block.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  });
}

/** The socket address without the IPv4-mapped prefix Node adds. */
export function normalizeRemoteAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * Picks the client IP: the first header that holds a valid IP (for a comma
 * list, the first valid entry not in `do_not_track_internal_ips`), then the
 * socket, else 127.0.0.1.
 *
 * @param headers lower-case header names as Node gives them.
 */
export function resolveClientIp(
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
  config: MauticIpOptions,
): string {
  const candidates: string[] = [];
  for (const name of IP_HEADERS) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw.join(',') : raw)?.trim();
    if (value) candidates.push(value);
  }
  const remote = normalizeRemoteAddress(remoteAddress);
  if (remote) candidates.push(remote);
  for (const candidate of candidates) {
    const entries = candidate.includes(',')
      ? candidate.split(',').map((s) => s.trim()).filter((s) => s !== '' && !ipMatchesList(s, config.doNotTrackInternalIps))
      : [candidate];
    const valid = entries.find((ip) => isValidPublicIp(ip, config.trackPrivateIpRanges));
    if (valid) return valid;
  }
  return FALLBACK_IP;
}
