import { inspectClient, isBotUserAgent } from './client-ip.ts';
import { ipMatchesList, isValidPublicIp, resolveClientIp } from '../../codecs/mautic-client-ip.ts';
import { standinConfig } from '../deps.ts';

const config = standinConfig();

describe('client IP (docs/mautic/public-http.md §2.4)', () => {
  it.each<[Record<string, string>, string | undefined, string]>([
    [{}, '::ffff:127.0.0.1', '127.0.0.1'], // loopback is reserved → fallback
    [{}, '203.0.113.9', '203.0.113.9'],
    [{ 'x-forwarded-for': '198.51.100.7, 10.0.0.1' }, '127.0.0.1', '198.51.100.7'],
    [{ 'x-forwarded-for': '10.0.0.1, 198.51.100.7' }, '127.0.0.1', '198.51.100.7'], // private skipped
    [{ 'client-ip': '198.51.100.1', 'x-forwarded-for': '198.51.100.2' }, undefined, '198.51.100.1'], // order
    [{ 'x-forwarded-for': 'garbage' }, '198.51.100.3', '198.51.100.3'],
    [{ forwarded: 'for=198.51.100.4' }, '127.0.0.1', '127.0.0.1'], // RFC 7239 syntax is not an IP to Mautic
    [{ 'x-forwarded-for': '192.168.1.5' }, '10.1.1.1', '127.0.0.1'],
    [{ 'x-forwarded-for': '2001:4860::8888' }, undefined, '2001:4860::8888'],
  ])('headers %p, socket %p → %s', (headers, remote, ip) => {
    expect(resolveClientIp(headers, remote, config)).toBe(ip);
  });

  it('keeps private ranges with track_private_ip_ranges', () => {
    expect(resolveClientIp({ 'x-forwarded-for': '192.168.1.5' }, undefined, standinConfig({ trackPrivateIpRanges: true }))).toBe('192.168.1.5');
    expect(isValidPublicIp('127.0.0.1', true)).toBe(false);
  });

  it('drops do_not_track_internal_ips from a forwarded list', () => {
    const c = standinConfig({ doNotTrackInternalIps: ['198.51.100.7'] });
    expect(resolveClientIp({ 'x-forwarded-for': '198.51.100.7, 198.51.100.8' }, undefined, c)).toBe('198.51.100.8');
  });

  it('matches exact, regex and CIDR entries', () => {
    expect(ipMatchesList('198.51.100.7', ['198.51.100.7'])).toBe(true);
    expect(ipMatchesList('198.51.100.7', ['/^198\\.51\\./'])).toBe(true);
    expect(ipMatchesList('198.51.100.7', ['198.51.100.0/24'])).toBe(true);
    expect(ipMatchesList('198.51.101.7', ['198.51.100.0/24', '/[/', 'x/y'])).toBe(false);
  });

  it('finds bots by substring of the User-Agent', () => {
    expect(isBotUserAgent('Mozilla/5.0 (compatible; Googlebot/2.1)', config.doNotTrackBots)).toBe(true);
    expect(isBotUserAgent('Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0', config.doNotTrackBots)).toBe(false);
  });

  it('anonymizes the stored IP and marks DNT IPs and bots untrackable', () => {
    expect(inspectClient({}, '203.0.113.9', standinConfig({ anonymizeIp: true }))).toEqual({ address: '203.0.113.9', stored: '*.*.*.*', trackable: true });
    expect(inspectClient({}, '203.0.113.9', standinConfig({ doNotTrackIps: ['203.0.113.0/24'] })).trackable).toBe(false);
    expect(inspectClient({ 'user-agent': 'Wget/1.21' }, '203.0.113.9', config).trackable).toBe(false);
  });
});
