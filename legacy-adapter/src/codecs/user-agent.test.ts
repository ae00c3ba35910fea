import { parseUserAgent } from './user-agent.ts';

// Real agents of common browsers; the columns are the names Matomo DeviceDetector gives (docs/mautic/public-http.md §2.1, §6).
const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36';
const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const SAMSUNG_CHROME = 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
const IPAD_SAFARI = 'Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const MAC_SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';

describe('parseUserAgent (lead_devices columns, docs/mautic/public-http.md §2.1, §6)', () => {
  it('reads a desktop Chrome on Windows', () => {
    expect(parseUserAgent(WINDOWS_CHROME)).toEqual({
      device: 'desktop', deviceBrand: null, deviceModel: null,
      deviceOsName: 'Windows', deviceOsShortName: 'WIN', deviceOsVersion: '10.0', deviceOsPlatform: 'x64',
      clientInfo: { type: 'browser', name: 'Chrome', short_name: 'CH', version: '120.0', engine: 'Blink', engine_version: '' },
    });
  });

  it('reads an iPhone and an iPad with their brand and model', () => {
    expect(parseUserAgent(IPHONE_SAFARI)).toEqual({
      device: 'smartphone', deviceBrand: 'Apple', deviceModel: 'iPhone',
      deviceOsName: 'iOS', deviceOsShortName: 'IOS', deviceOsVersion: '17.1', deviceOsPlatform: null,
      clientInfo: { type: 'browser', name: 'Mobile Safari', short_name: 'MF', version: '17.1', engine: 'WebKit', engine_version: '605.1' },
    });
    expect(parseUserAgent(IPAD_SAFARI)).toMatchObject({ device: 'tablet', deviceBrand: 'Apple', deviceModel: 'iPad' });
  });

  it('names an Android phone by its maker and model, which the small parser could not', () => {
    expect(parseUserAgent(SAMSUNG_CHROME)).toMatchObject({
      device: 'smartphone', deviceBrand: 'Samsung', deviceModel: 'SM-S918B', deviceOsName: 'Android', deviceOsShortName: 'AND', deviceOsVersion: '14.0',
      clientInfo: { type: 'browser', name: 'Chrome Mobile', short_name: 'CM', version: '120.0', engine: 'Blink', engine_version: '' },
    });
  });

  it('reads a Mac as an Apple desktop, and Firefox on Linux', () => {
    expect(parseUserAgent(MAC_SAFARI)).toMatchObject({ device: 'desktop', deviceBrand: 'Apple', deviceModel: null, deviceOsName: 'Mac', deviceOsShortName: 'MAC' });
    expect(parseUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0')).toMatchObject({
      device: 'desktop', deviceOsName: 'GNU/Linux', deviceOsShortName: 'LIN', deviceOsPlatform: 'x64', clientInfo: { name: 'Firefox', short_name: 'FF' },
    });
  });

  it('gives a library its client and no device, and an empty agent nothing', () => {
    expect(parseUserAgent('curl/8.0')).toEqual({
      device: '', deviceBrand: null, deviceModel: null, deviceOsName: null, deviceOsShortName: null,
      deviceOsVersion: null, deviceOsPlatform: null, clientInfo: { type: 'library', name: 'curl', version: '8.0' },
    });
    expect(parseUserAgent('')).toMatchObject({ device: '', deviceOsName: null, clientInfo: {} });
  });

  it('answers a repeated agent from its cache, and parses a huge one without keeping it', () => {
    expect(parseUserAgent(WINDOWS_CHROME)).toBe(parseUserAgent(WINDOWS_CHROME));
    const huge = `${WINDOWS_CHROME} ${'x'.repeat(4096)}`;
    expect(parseUserAgent(huge)).not.toBe(parseUserAgent(huge));
    expect(parseUserAgent(huge)).toMatchObject({ deviceOsName: 'Windows', clientInfo: { name: 'Chrome' } });
  });
});
