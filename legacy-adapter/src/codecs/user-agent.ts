/**
 * The `lead_devices` columns of a User-Agent (docs/mautic/public-http.md §2.1, §6), from
 * device-detector-js, the JavaScript port of the Matomo DeviceDetector that Mautic's
 * DeviceTracker uses, so device, brand, model and OS are the names Mautic's reports show.
 * Unknown parts are null; an agent the detector cannot place at all gives `device` ''.
 *
 * A first parse costs about 2 ms of CPU (hundreds of regular expressions), more than the
 * rest of a hit, and most traffic repeats a few thousand agents: parses are kept in a
 * bounded LRU, so a repeated agent costs a map lookup.
 */
import DeviceDetector from 'device-detector-js';
// The detector's own code tables: its parse result names the OS and browser but omits the
// short codes Mautic stores (`device_os_shortname`, `client_info.short_name`).
import browserTable from 'device-detector-js/dist/parsers/client/fixtures/available-browsers.json' with { type: 'json' };
import osTable from 'device-detector-js/dist/parsers/operating-system/fixtures/operating-system.json' with { type: 'json' };
import { LRUCache } from 'lru-cache';

/** What `lead_devices` stores about a device. */
export interface DeviceInfo {
  /** `device`: desktop, smartphone, tablet, … ('' when the detector knows no device). */
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

/** Parsed agents kept (a few hundred bytes each). */
const CACHED_AGENTS = 10_000;
/** Longer agents are parsed every time: a flood of huge made-up agents must not fill the cache. */
const LONGEST_CACHED_AGENT = 1024;

const detector = new DeviceDetector({ skipBotDetection: true });
const parsed = new LRUCache<string, DeviceInfo>({ max: CACHED_AGENTS });

const shortNames = (table: Record<string, string>): Map<string, string> => new Map(Object.entries(table).map(([code, name]) => [name, code]));
const OS_SHORT_NAMES = shortNames(osTable.operatingSystem);
const BROWSER_SHORT_NAMES = shortNames(browserTable);

const orNull = (value: string | undefined): string | null => (value ? value : null);

function clientInfoOf(client: DeviceDetector.DeviceDetectorResult['client']): Record<string, string> {
  if (!client) return {};
  if (!('engine' in client)) return { type: client.type, name: client.name, version: client.version };
  return {
    type: client.type, name: client.name, short_name: BROWSER_SHORT_NAMES.get(client.name) ?? 'UNK', version: client.version,
    engine: client.engine, engine_version: client.engineVersion,
  };
}

function detect(userAgent: string): DeviceInfo {
  const { client, os, device } = detector.parse(userAgent);
  return {
    device: device?.type ?? '', deviceBrand: orNull(device?.brand), deviceModel: orNull(device?.model),
    deviceOsName: orNull(os?.name), deviceOsShortName: os ? (OS_SHORT_NAMES.get(os.name) ?? null) : null,
    deviceOsVersion: orNull(os?.version), deviceOsPlatform: orNull(os?.platform),
    clientInfo: Object.freeze(clientInfoOf(client)),
  };
}

/**
 * Parses a User-Agent into `lead_devices` fields. The result is shared between callers: do not change it.
 *
 * @example
 * parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) … Version/17.1 Mobile/15E148 Safari/604.1').device // 'smartphone'
 */
export function parseUserAgent(userAgent: string): Readonly<DeviceInfo> {
  if (userAgent.length > LONGEST_CACHED_AGENT) return detect(userAgent);
  let info = parsed.get(userAgent);
  if (!info) {
    info = Object.freeze(detect(userAgent));
    parsed.set(userAgent, info);
  }
  return info;
}
