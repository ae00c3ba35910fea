import { parseUserAgent } from './user-agent.ts';

describe('parseUserAgent (lead_devices columns, docs/mautic/public-http.md §2.1)', () => {
  it('reads a desktop Chrome on Windows', () => {
    const d = parseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36');
    expect(d).toEqual({
      device: 'desktop', deviceBrand: null, deviceModel: null,
      deviceOsName: 'Windows', deviceOsShortName: 'WIN', deviceOsVersion: '10', deviceOsPlatform: 'x64',
      clientInfo: { type: 'browser', name: 'Chrome', short_name: 'CH', version: '120.0', engine: 'Blink', engine_version: '' },
    });
  });

  it('reads an iPhone Safari', () => {
    const d = parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1');
    expect([d.device, d.deviceBrand, d.deviceModel, d.deviceOsName, d.deviceOsVersion, d.clientInfo.name]).toEqual(
      ['smartphone', 'Apple', 'iPhone', 'iOS', '17.1', 'Safari'],
    );
  });

  it('tells Edge and Firefox apart from Chrome', () => {
    expect(parseUserAgent('Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36 Edg/120.0.2210').clientInfo.name).toBe('Microsoft Edge');
    expect(parseUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0').deviceOsName).toBe('GNU/Linux');
  });

  it('gives a desktop with nulls for anything else', () => {
    expect(parseUserAgent('')).toEqual({
      device: 'desktop', deviceBrand: null, deviceModel: null, deviceOsName: null, deviceOsShortName: null,
      deviceOsVersion: null, deviceOsPlatform: null, clientInfo: {},
    });
  });
});
