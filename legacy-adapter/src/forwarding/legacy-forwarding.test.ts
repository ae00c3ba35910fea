import { CLIENT_SETTABLE_IP_HEADERS, ipMauticRecords, ipSpoofingRisks, needsTrustedProxies, trustedProxiesSnippet } from './legacy-forwarding.ts';

describe('forwarding to the real monolith (docs/mautic/public-http.md §2.4, §1.1)', () => {
  it('Mautic records the leftmost valid X-Forwarded-For entry, even one the client wrote', () => {
    expect(ipMauticRecords({ 'x-forwarded-for': '203.0.113.50, 198.51.100.9' }, '10.0.0.5')).toBe('203.0.113.50');
  });

  it('Client-IP wins over X-Forwarded-For', () => {
    expect(ipMauticRecords({ 'client-ip': '203.0.113.66', 'x-forwarded-for': '198.51.100.9' }, '10.0.0.5')).toBe('203.0.113.66');
  });

  it('a gateway on a private address with no forwarded header makes every visitor 127.0.0.1', () => {
    expect(ipMauticRecords({}, '10.0.0.5')).toBe('127.0.0.1');
  });

  it('names the headers that let a client choose its IP', () => {
    expect(CLIENT_SETTABLE_IP_HEADERS).toEqual(['client-ip', 'x-forwarded', 'x-cluster-client-ip', 'forwarded-for', 'forwarded']);
    expect(ipSpoofingRisks({ 'x-forwarded-for': '198.51.100.9' })).toEqual([]);
    expect(ipSpoofingRisks({ 'client-ip': '1.1.1.1', 'x-forwarded-for': '6.6.6.6, 198.51.100.9' })).toHaveLength(2);
  });

  it('asks for trusted_proxies when TLS ends at the gateway of an https site', () => {
    expect(needsTrustedProxies('https://m.example.com', 'http')).toBe(true);
    expect(needsTrustedProxies('http://m.example.com', 'http')).toBe(false);
    expect(needsTrustedProxies('https://m.example.com', 'https')).toBe(false);
    expect(trustedProxiesSnippet(['10.42.0.0/16', "x');"])).toBe("'trusted_proxies' => ['10.42.0.0/16', ''],");
  });
});
