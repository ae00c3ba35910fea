import { loadConfig } from '../config/load.ts';
import { GatewayError } from '../errors.ts';
import { createTenantTable } from '../tenants/tenant-table.ts';
import { createTestCatalogue } from '../../test/support/test-catalogue.ts';
import { classify, type Classified } from './classify.ts';

const file = JSON.stringify({ unknownHost: 'reject', defaultTenantHosts: ['main.example'], tenants: [{ id: 'acme', hosts: ['acme.example'], legacyUrl: 'http://acme:80' }] });
const ctx = { catalogue: createTestCatalogue(), tenants: createTenantTable(loadConfig({ STRANGLER_CONFIG: 'c' }, () => file)), maxTargetBytes: 256 };

describe('classify', () => {
  it.each<[string, string, string | undefined, string, string, string]>([
    ['GET', '/mtracking.gif?a=1', 'acme.example', 'tracking.pixel', 'acme', '/mtracking.gif?a=1'],
    ['GET', '/r/abc%20d', 'main.example', 'tracking.click', 'default', '/r/abc%20d'],
    ['POST', '/mtracking.gif', 'main.example', 'legacy.default', 'default', '/mtracking.gif'],
    ['GET', 'http://acme.example/form/x?y=1', 'acme.example', 'legacy.default', 'acme', '/form/x?y=1'],
    ['OPTIONS', '*', 'main.example', 'legacy.default', 'default', '*'],
    ['GET', '/%%%/../weird', 'main.example', 'legacy.default', 'default', '/%%%/../weird'],
  ])('%s %s (Host %s) → %s for %s', (method, rawTarget, host, routeId, tenant, target) => {
    const result = classify({ method, rawTarget, host, httpVersion: '1.1' }, ctx) as Classified;
    expect(result.match.route.id).toBe(routeId);
    expect(result.tenant.id).toBe(tenant);
    expect(result.target).toBe(target);
  });

  it.each<[string, string, string | undefined, string, number]>([
    ['target too long', '/' + 'a'.repeat(300), 'main.example', 'GW_ERR_REQUEST_URI_TOO_LONG', 414],
    ['target in authority form', 'example.com:443', 'main.example', 'GW_ERR_REQUEST_BAD', 400],
    ['asterisk outside OPTIONS', '*', 'main.example', 'GW_ERR_REQUEST_BAD', 400],
    ['unknown host when rejecting', '/mtracking.gif', 'evil.example', 'GW_ERR_TENANT_UNKNOWN_HOST', 421],
    ['no host when rejecting (HTTP/1.0)', '/mtracking.gif', undefined, 'GW_ERR_TENANT_UNKNOWN_HOST', 421],
  ])('%s → %s', (_name, rawTarget, host, code, status) => {
    const result = classify({ method: 'GET', rawTarget, host, httpVersion: '1.0' }, ctx);
    expect(result).toBeInstanceOf(GatewayError);
    expect((result as GatewayError).code).toBe(code);
    expect((result as GatewayError).status).toBe(status);
  });

  it('refuses an HTTP/1.1 request without Host (RFC 9112 §3.2), accepts HTTP/1.0 without', () => {
    expect((classify({ method: 'GET', rawTarget: '/', host: undefined, httpVersion: '1.1' }, ctx) as GatewayError).code).toBe('GW_ERR_REQUEST_BAD');
    const lenient = { ...ctx, tenants: createTenantTable(loadConfig({})) };
    expect((classify({ method: 'GET', rawTarget: '/', host: undefined, httpVersion: '1.0' }, lenient) as Classified).tenant.id).toBe('default');
  });
});
