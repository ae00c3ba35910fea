import { ConfigError, formatPath, loadConfig } from './load.ts';

const files = (content: Record<string, string>) => (path: string): string => {
  const text = content[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};

function problemsOf(env: Record<string, string>, content: Record<string, string> = {}): readonly string[] {
  try {
    loadConfig(env, files(content));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('GW_ERR_CONFIG_INVALID');
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: defaults and sources', () => {
  it('fills every default from the schema (docs/architecture.md §9 ports and URLs)', () => {
    const config = loadConfig({});
    expect(config.server.port).toBe(8080);
    expect(config.admin.port).toBe(8081);
    expect(config.upstreams.legacy.url).toBe('http://127.0.0.1:8090');
    expect(config.upstreams.tracking.url).toBe('http://127.0.0.1:8101');
    expect(config.upstreams.forms.url).toBe('http://127.0.0.1:8102');
    expect(config.upstreams.sending.url).toBe('http://127.0.0.1:8103');
    expect(config.server.maxBufferedBodyBytes).toBe(1_048_576);
    expect(config.unknownHost).toBe('default');
    expect(config.admin.token).toBeUndefined();
    expect(config.services).toEqual({});
    expect(config.upstreams.legacy).toMatchObject({ connections: 256, queueLimit: 256 });
    expect(config.breaker.consecutiveFailures).toBe(5);
    expect(config.server.maxHeaderFields).toBe(1000);
    expect(config.routes).toEqual({});
  });

  it("takes a route's own breaker settings and cap, without defaults of their own", () => {
    const file = JSON.stringify({ routes: { 'forms.submit': { breaker: { consecutiveFailures: 3 }, maxConcurrent: 50 } } });
    expect(loadConfig({ STRANGLER_CONFIG: 'c' }, files({ c: file })).routes).toEqual({ 'forms.submit': { breaker: { consecutiveFailures: 3 }, maxConcurrent: 50 } });
  });

  it('applies the file, then env overrides on top', () => {
    const file = JSON.stringify({ server: { port: 9000, drainTimeoutMs: 50 }, upstreams: { legacy: { url: 'http://file:1', totalTimeoutMs: 77 } } });
    const config = loadConfig(
      { STRANGLER_CONFIG: '/c.json', PORT: '0', ADMIN_PORT: '0', LEGACY_URL: 'http://env:2', TRACKING_URL: 'http://t:3', FORMS_URL: 'http://f:4', SENDING_URL: 'http://s:5', ADMIN_TOKEN: 'x'.repeat(16), LOG_LEVEL: 'warn', REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'mysql://root@127.0.0.1:3306/x', SMTP_URL: 'smtp://127.0.0.1:25', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' },
      files({ '/c.json': file }),
    );
    expect(config.server).toMatchObject({ port: 0, drainTimeoutMs: 50 });
    expect(config.admin).toMatchObject({ port: 0, token: 'x'.repeat(16) });
    expect(config.upstreams.legacy).toMatchObject({ url: 'http://env:2', totalTimeoutMs: 77 });
    expect([config.upstreams.tracking.url, config.upstreams.forms.url, config.upstreams.sending.url]).toEqual(['http://t:3', 'http://f:4', 'http://s:5']);
    expect(config.logLevel).toBe('warn');
    expect(config.services).toEqual({ redisUrl: 'redis://127.0.0.1:6379', databaseUrl: 'mysql://root@127.0.0.1:3306/x', smtpUrl: 'smtp://127.0.0.1:25', otelExporterOtlpEndpoint: 'http://jaeger:4318' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', ADMIN_TOKEN: '' }).server.port).toBe(8080);
  });

  it('lower-cases tenant hosts', () => {
    const file = JSON.stringify({ tenants: [{ id: 'acme', hosts: ['Mautic.ACME.example'], legacyUrl: 'http://acme:80' }] });
    expect(loadConfig({ STRANGLER_CONFIG: 'c' }, files({ c: file })).tenants[0]?.hosts).toEqual(['mautic.acme.example']);
  });

  it('deep-freezes the result', () => {
    const file = JSON.stringify({ tenants: [{ id: 'acme', hosts: ['a.example'], legacyUrl: 'http://acme:80' }] });
    const config = loadConfig({ STRANGLER_CONFIG: 'c' }, files({ c: file }));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.tenants[0]?.hosts)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('loadConfig: every problem listed with its path', () => {
  const tenant = { id: 'acme', hosts: ['acme.example'], legacyUrl: 'http://acme:80' };
  it.each<[string, Record<string, string>, Record<string, unknown> | string | null, string[]]>([
    ['bad URL in the second tenant, bad port, unknown key', {}, { server: { port: -1 }, surprise: 1, tenants: [tenant, { id: 'b', hosts: ['b.example'], legacyUrl: 'not a url' }] }, [
      'server.port: Too small: expected number to be >=0',
      'tenants[1].legacyUrl: Invalid URL (expected http:// or https://)',
      'surprise: Unknown key (allowed keys are in gateway/README.md § Configuration)',
    ]],
    ['env values name their variable', { PORT: 'eighty', ADMIN_PORT: '70000', LEGACY_URL: 'ftp://x', LOG_LEVEL: 'verbose' }, null, [
      'server.port (from PORT): Invalid input: expected number, received string',
      'admin.port (from ADMIN_PORT): Too big: expected number to be <=65535',
      'upstreams.legacy.url (from LEGACY_URL): Invalid URL (expected http:// or https://)',
      'logLevel (from LOG_LEVEL): Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
    ]],
    ['short admin token', { ADMIN_TOKEN: 'short' }, null, ['admin.token (from ADMIN_TOKEN): Too short: an admin token needs at least 16 characters']],
    ['file is not JSON, env problems still listed', { PORT: 'x' }, '{ nope', [
      'STRANGLER_CONFIG: "/cfg.json" is not valid JSON',
      'server.port (from PORT): Invalid input: expected number, received string',
    ]],
    ['file is an array', {}, '[]', ['STRANGLER_CONFIG: "/cfg.json" must hold a JSON object']],
    ['duplicate tenant id, reserved id, host claimed twice', {}, {
      defaultTenantHosts: ['main.example'],
      tenants: [tenant, { ...tenant, hosts: ['other.example'] }, { ...tenant, id: 'default', hosts: ['main.example'] }],
    }, [
      'tenants[1].id: Duplicate tenant id "acme"',
      'tenants[2].id: Tenant id "default" is reserved (use defaultTenantHosts)',
      'tenants[2].hosts[0]: Host "main.example" already belongs to tenant "default"',
    ]],
    ['host with a port, tenant without hosts, nested unknown key', {}, {
      tenants: [{ id: 'Bad Id', hosts: ['a.example:8080'], legacyUrl: 'http://a' }, { id: 'b', hosts: [], legacyUrl: 'http://b', extra: true }],
    }, [
      'tenants[0].id: Invalid tenant id (lower-case letters, digits, "-" and "_")',
      'tenants[0].hosts[0]: Invalid host name (no port, no scheme)',
      'tenants[1].hosts: Too small: expected array to have >=1 items',
      'tenants[1].extra: Unknown key (allowed keys are in gateway/README.md § Configuration)',
    ]],
    ['breaker and limits', {}, { breaker: { errorThresholdPercentage: 0, rollingCountTimeoutMs: 1000, rollingCountBuckets: 3 }, server: { maxBufferedBodyBytes: -1, drainTimeoutMs: 0 } }, [
      'breaker.errorThresholdPercentage: Too small: expected number to be >=1',
      'breaker.rollingCountBuckets: Must divide rollingCountTimeoutMs evenly',
      'server.maxBufferedBodyBytes: Too small: expected number to be >=0',
      'server.drainTimeoutMs: Too small: expected number to be >0',
    ]],
    ['wrong type for a whole section', {}, { upstreams: 'legacy' }, ['upstreams: Invalid input: expected object, received string']],
    ['route settings', {}, { routes: { 'tracking.pixel': { breaker: { consecutiveFailures: -1, surprise: 1 }, maxConcurrent: 0 } }, upstreams: { legacy: { queueLimit: -1 } } }, [
      'routes.tracking.pixel.breaker.consecutiveFailures: Too small: expected number to be >=0',
      'routes.tracking.pixel.breaker.surprise: Unknown key',
      'routes.tracking.pixel.maxConcurrent: Too small: expected number to be >=1',
      'upstreams.legacy.queueLimit: Too small: expected number to be >=0',
    ]],
    ["a route's breaker window, merged over breaker, must split evenly", {}, { breaker: { rollingCountTimeoutMs: 1000 }, routes: { 'forms.submit': { breaker: { rollingCountBuckets: 3 } } } }, [
      'routes.forms.submit.breaker.rollingCountBuckets: Must divide rollingCountTimeoutMs evenly',
    ]],
  ])('%s', (_name, env, file, expected) => {
    const content: Record<string, string> = {};
    const fullEnv = { ...env };
    if (file !== null) {
      content['/cfg.json'] = typeof file === 'string' ? file : JSON.stringify(file);
      fullEnv.STRANGLER_CONFIG = '/cfg.json';
    }
    const problems = problemsOf(fullEnv, content);
    expect(expected.filter((line) => !problems.some((p) => p.startsWith(line)))).toEqual([]);
    expect(problems.filter((p) => !expected.some((line) => p.startsWith(line)))).toEqual([]);
  });

  it('reports an unreadable file', () => {
    expect(problemsOf({ STRANGLER_CONFIG: '/missing.json' })).toEqual([
      `STRANGLER_CONFIG: cannot read "/missing.json": ENOENT: no such file or directory, open '/missing.json'`,
    ]);
  });

  it('puts every problem in the error message too', () => {
    expect(() => loadConfig({ PORT: 'x', ADMIN_PORT: 'y' })).toThrow(/2 problems[\s\S]*server\.port[\s\S]*admin\.port/);
  });
});

describe('formatPath', () => {
  it.each([
    [[], '(root)'],
    [['server', 'port'], 'server.port'],
    [['tenants', 1, 'legacyUrl'], 'tenants[1].legacyUrl'],
    [['tenants', 0, 'hosts', 2], 'tenants[0].hosts[2]'],
  ])('%j → %s', (path, text) => expect(formatPath(path)).toBe(text));
});
