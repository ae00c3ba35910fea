import { StandinConfigError, standinConfigFromEnv } from './config-from-env.ts';

describe('standinConfigFromEnv', () => {
  it('keeps Mautic\'s defaults and points site_url at the gateway', () => {
    const config = standinConfigFromEnv({});
    expect(config).toMatchObject({ siteUrl: 'http://127.0.0.1:8080', cookieSecure: true, cookiePath: '/', trackPrivateIpRanges: false });
    expect(standinConfigFromEnv({ PORT: '9000' }).siteUrl).toBe('http://127.0.0.1:9000');
  });

  it('reads MAUTIC_<KEY> variables', () => {
    const config = standinConfigFromEnv({
      MAUTIC_SITE_URL: 'https://m.example.com/', MAUTIC_COOKIE_SECURE: 'false', MAUTIC_CORS_VALID_DOMAINS: 'https://a.test, https://*.b.test',
      MAUTIC_SECRET_KEY: '0123456789abcdef0123',
    });
    expect(config).toMatchObject({
      siteUrl: 'https://m.example.com', cookieSecure: false, corsValidDomains: ['https://a.test', 'https://*.b.test'], secretKey: '0123456789abcdef0123',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every bad variable at once', () => {
    let error: unknown;
    try {
      standinConfigFromEnv({ MAUTIC_SITE_URL: 'ftp://x', MAUTIC_COOKIE_SECURE: 'maybe', MAUTIC_SECRET_KEY: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StandinConfigError);
    expect((error as StandinConfigError).code).toBe('STANDIN_CONFIG_INVALID');
    expect((error as StandinConfigError).problems).toHaveLength(3);
  });
});
