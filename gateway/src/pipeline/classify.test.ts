import { loadConfig } from '../config/load.ts';
import { GatewayError } from '../errors.ts';
import { createTenantTable } from '../tenants/tenant-table.ts';
import { createTestCatalogue } from '../../test/support/test-catalogue.ts';
import { createProxyTrust } from '../upstream/client-address.ts';
import { classify, type Classified, type ClassifyInput } from './classify.ts';

const file = JSON.stringify({ unknownHost: 'reject', defaultTenantHosts: ['main.example'], tenants: [{ id: 'acme', hosts: ['acme.example'], legacyUrl: 'http://acme:80' }] });
const ctx = { catalogue: createTestCatalogue(), tenants: createTenantTable(loadConfig({ STRANGLER_CONFIG: 'c' }, () => file)), maxTargetBytes: 256, proxyTrust: createProxyTrust(['10.0.0.0/8']) };
const peer = { peer: '198.51.100.20', xForwardedFor: undefined } satisfies Partial<ClassifyInput>;

describe('classify', () => {
  it.each<[string, string, string | undefined, string, string, string]>([
    ['GET', '/mtracking.gif?a=1', 'acme.example', 'tracking.pixel', 'acme', '/mtracking.gif?a=1'],
    ['GET', '/r/abc%20d', 'main.example', 'tracking.click', 'default', '/r/abc%20d'],
    ['POST', '/mtracking.gif', 'main.example', 'legacy.default', 'default', '/mtracking.gif'],
    ['GET', 'http://acme.example/form/x?y=1', 'acme.example', 'legacy.default', 'acme', '/form/x?y=1'],
    ['OPTIONS', '*', 'main.example', 'legacy.default', 'default', '*'],
    ['GET', '/%%%/../weird', 'main.example', 'legacy.default', 'default', '/%%%/../weird'],
  ])('%s %s (Host %s) → %s for %s', (method, rawTarget, host, routeId, tenant, target) => {
    const result = classify({ method, rawTarget, host, httpVersion: '1.1', ...peer }, ctx) as Classified;
    expect(result.match.route.id).toBe(routeId);
    expect(result.tenant.id).toBe(tenant);
    expect(result.requestTarget).toBe(target);
  });

  it.each<[string, string, string | undefined, string, number]>([
    ['target too long', '/' + 'a'.repeat(300), 'main.example', 'GW_ERR_REQUEST_URI_TOO_LONG', 414],
    ['target in authority form', 'example.com:443', 'main.example', 'GW_ERR_REQUEST_BAD', 400],
    ['asterisk outside OPTIONS', '*', 'main.example', 'GW_ERR_REQUEST_BAD', 400],
    ['unknown host when rejecting', '/mtracking.gif', 'evil.example', 'GW_ERR_TENANT_UNKNOWN_HOST', 421],
    ['no host when rejecting (HTTP/1.0)', '/mtracking.gif', undefined, 'GW_ERR_TENANT_UNKNOWN_HOST', 421],
  ])('%s → %s', (_name, rawTarget, host, code, status) => {
    const result = classify({ method: 'GET', rawTarget, host, httpVersion: '1.0', ...peer }, ctx);
    expect(result).toBeInstanceOf(GatewayError);
    expect((result as GatewayError).code).toBe(code);
    expect((result as GatewayError).status).toBe(status);
  });

  it('refuses an HTTP/1.1 request without Host (RFC 9112 §3.2), accepts HTTP/1.0 without', () => {
    expect((classify({ method: 'GET', rawTarget: '/', host: undefined, httpVersion: '1.1', ...peer }, ctx) as GatewayError).code).toBe('GW_ERR_REQUEST_BAD');
    const lenient = { ...ctx, tenants: createTenantTable(loadConfig({})) };
    expect((classify({ method: 'GET', rawTarget: '/', host: undefined, httpVersion: '1.0', ...peer }, lenient) as Classified).tenant.id).toBe('default');
  });

  it.each<[string, string, string | string[] | undefined, string, string[]]>([
    ['an untrusted peer is the client; its X-Forwarded-For is ignored', '198.51.100.20', '1.2.3.4', '198.51.100.20', ['198.51.100.20']],
    ['a trusted proxy vouches for the hop before it', '10.0.0.5', '203.0.113.9', '203.0.113.9', ['203.0.113.9', '10.0.0.5']],
    ['the walk stops at the first untrusted hop; anything left of it is dropped', '10.0.0.5', '6.6.6.6, 203.0.113.9, 10.0.0.4', '203.0.113.9', ['203.0.113.9', '10.0.0.4', '10.0.0.5']],
    ['several header lines are one list', '10.0.0.5', ['6.6.6.6', '203.0.113.9'], '203.0.113.9', ['203.0.113.9', '10.0.0.5']],
    ['a malformed hop ends the walk at the last good one', '10.0.0.5', '203.0.113.9, not-an-ip', '10.0.0.5', ['10.0.0.5']],
    ['IPv4-mapped peers are written as IPv4 (docs/mautic/public-http.md §2.4)', '::ffff:198.51.100.20', undefined, '198.51.100.20', ['198.51.100.20']],
  ])('client address: %s', (_name, peerIp, xff, ip, chain) => {
    const result = classify({ method: 'GET', rawTarget: '/mtracking.gif', host: 'main.example', httpVersion: '1.1', peer: peerIp, xForwardedFor: xff }, ctx) as Classified;
    expect(result.client).toEqual({ ip, forwardedFor: chain });
  });
});
