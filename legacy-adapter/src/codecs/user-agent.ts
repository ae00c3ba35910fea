/**
 * A small User-Agent parser that fills the `lead_devices` columns
 * (docs/mautic/public-http.md §2.1, §6). Mautic uses Matomo DeviceDetector, which
 * knows thousands of devices; this one recognises the common browsers and
 * operating systems only and uses DeviceDetector's names for them, so rows
 * look alike for everyday traffic. Unknown agents give `desktop` with nulls.
 */

/** What `lead_devices` stores about a device. */
export interface DeviceInfo {
  /** `device`: desktop, smartphone, tablet, … */
  device: string;
  deviceBrand: string | null;
  deviceModel: string | null;
  deviceOsName: string | null;
  deviceOsShortName: string | null;
  deviceOsVersion: string | null;
  deviceOsPlatform: string | null;
  /** `client_info` (PHP-serialized): DeviceDetector's client array. */
  clientInfo: Record<string, string>;
}

interface OsRule { test: RegExp; name: string; short: string; version?: RegExp }
interface ClientRule { test: RegExp; name: string; short: string; engine: string }

const OS_RULES: OsRule[] = [
  { test: /Windows NT/, name: 'Windows', short: 'WIN', version: /Windows NT ([0-9.]+)/ },
  { test: /iPhone|iPad|iPod/, name: 'iOS', short: 'IOS', version: /OS ([0-9_]+)/ },
  { test: /Android/, name: 'Android', short: 'AND', version: /Android ([0-9.]+)/ },
  { test: /Mac OS X|Macintosh/, name: 'Mac', short: 'MAC', version: /Mac OS X ([0-9_.]+)/ },
  { test: /CrOS/, name: 'Chrome OS', short: 'COS' },
  { test: /Linux|X11/, name: 'GNU/Linux', short: 'LIN' },
];

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const CLIENT_RULES: ClientRule[] = [
  { test: /Edg(e|A|iOS)?\/([0-9.]+)/, name: 'Microsoft Edge', short: 'PS', engine: 'Blink' },
  { test: /OPR\/([0-9.]+)/, name: 'Opera', short: 'OP', engine: 'Blink' },
  { test: /Firefox\/([0-9.]+)/, name: 'Firefox', short: 'FF', engine: 'Gecko' },
  { test: /Chrome\/([0-9.]+)/, name: 'Chrome', short: 'CH', engine: 'Blink' },
  { test: /Version\/([0-9.]+).*Safari\//, name: 'Safari', short: 'SF', engine: 'WebKit' },
];

const WINDOWS_VERSIONS: Record<string, string> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7' };

function osOf(ua: string): Pick<DeviceInfo, 'deviceOsName' | 'deviceOsShortName' | 'deviceOsVersion' | 'deviceOsPlatform'> {
  const rule = OS_RULES.find((r) => r.test.test(ua));
  if (!rule) return { deviceOsName: null, deviceOsShortName: null, deviceOsVersion: null, deviceOsPlatform: null };
  let version = rule.version?.exec(ua)?.[1]?.replace(/_/g, '.') ?? '';
  if (rule.short === 'WIN') version = WINDOWS_VERSIONS[version] ?? version;
  const platform = /x86_64|x64|Win64|amd64/i.test(ua) ? 'x64' : /arm|aarch64/i.test(ua) ? 'ARM' : /i[36]86|WOW64/.test(ua) ? 'x86' : '';
  return { deviceOsName: rule.name, deviceOsShortName: rule.short, deviceOsVersion: version, deviceOsPlatform: platform };
}

function clientOf(ua: string): Record<string, string> {
  for (const rule of CLIENT_RULES) {
    const match = rule.test.exec(ua);
    if (match) {
      const version = (match[match.length - 1] ?? '').split('.').slice(0, 2).join('.');
      return { type: 'browser', name: rule.name, short_name: rule.short, version, engine: rule.engine, engine_version: '' };
    }
  }
  return {};
}

function formFactor(ua: string): Pick<DeviceInfo, 'device' | 'deviceBrand' | 'deviceModel'> {
  if (/iPad/.test(ua)) return { device: 'tablet', deviceBrand: 'Apple', deviceModel: 'iPad' };
  if (/iPhone/.test(ua)) return { device: 'smartphone', deviceBrand: 'Apple', deviceModel: 'iPhone' };
  if (/Android/.test(ua)) return { device: /Mobile/.test(ua) ? 'smartphone' : 'tablet', deviceBrand: null, deviceModel: null };
  if (/Macintosh/.test(ua)) return { device: 'desktop', deviceBrand: 'Apple', deviceModel: null };
  return { device: 'desktop', deviceBrand: null, deviceModel: null };
}

/**
 * Parses a User-Agent into `lead_devices` fields.
 *
 * @example
 * parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) … Version/17.1 Mobile/15E148 Safari/604.1').device // 'smartphone'
 */
export function parseUserAgent(userAgent: string): DeviceInfo {
  return { ...formFactor(userAgent), ...osOf(userAgent), clientInfo: clientOf(userAgent) };
}
