import { loadConfig } from '../config/load.ts';
import { createTenantTable, hostWithoutPort } from './tenant-table.ts';

function configWith(extra: object) {
  const file = JSON.stringify({
    defaultTenantHosts: ['main.example'],
    tenants: [
      { id: 'acme', hosts: ['mautic.acme.example', 'acme.example'], legacyUrl: 'http://acme-legacy:80', formsUrl: 'http://acme-forms:80' },
      { id: 'globex', hosts: ['globex.example'], legacyUrl: 'http://globex-legacy:80' },
    ],
    ...extra,
  });
  return loadConfig({ STRANGLER_CONFIG: 'c', LEGACY_URL: 'http://default-legacy:80' }, () => file);
}

describe('tenant table', () => {
  const table = createTenantTable(configWith({}));

  it.each<[string | undefined, string]>([
    ['mautic.acme.example', 'acme'],
    ['Mautic.ACME.example:8443', 'acme'],
    ['acme.example.', 'acme'],
    ['globex.example:80', 'globex'],
    ['main.example', 'default'],
    ['unknown.example', 'default'],
    [undefined, 'default'],
  ])('Host %p → tenant %p', (host, id) => expect(table.fromHost(host)?.id).toBe(id));

  it('gives each tenant its legacy upstream, and its own new upstreams where configured', () => {
    expect(table.byId('acme')).toEqual({ id: 'acme', legacyUrl: 'http://acme-legacy:80', newUrls: { tracking: 'http://127.0.0.1:8101', forms: 'http://acme-forms:80', sending: 'http://127.0.0.1:8103' } });
    expect(table.byId('default')?.legacyUrl).toBe('http://default-legacy:80');
    expect([...table.ids]).toEqual(['default', 'acme', 'globex']);
  });

  it('rejects unknown and missing hosts when unknownHost is reject', () => {
    const strict = createTenantTable(configWith({ unknownHost: 'reject' }));
    expect(strict.fromHost('unknown.example')).toBeNull();
    expect(strict.fromHost(undefined)).toBeNull();
    expect(strict.fromHost('main.example')?.id).toBe('default');
  });
});

describe('hostWithoutPort', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com:8080', 'example.com'],
    ['example.com.', 'example.com'],
    ['[::1]:8080', '[::1]'],
    ['[::1', '[::1'],
    ['  spaced.example ', 'spaced.example'],
  ])('%p → %p', (raw, host) => expect(hostWithoutPort(raw)).toBe(host));
});
