import { mauticEnvName } from '../../service-kit/mautic-settings.ts';
import { trackingConfigFromEnv } from './config-from-env.ts';

describe('tracking configuration from the environment', () => {
  it('derives MAUTIC_<KEY> names from the schema, as Mautic exports its keys (docs/mautic/public-http.md §2.8)', () => {
    expect([mauticEnvName('cookieSecure'), mauticEnvName('doNotTrackIps'), mauticEnvName('siteUrl')]).toEqual(['MAUTIC_COOKIE_SECURE', 'MAUTIC_DO_NOT_TRACK_IPS', 'MAUTIC_SITE_URL']);
  });

  it("keeps Mautic's defaults and reads booleans, lists and the service's own keys", () => {
    const defaults = trackingConfigFromEnv({});
    expect(defaults).toMatchObject({ fastMode: false, botDetector: 'mautic-list', dryRunLockTimeoutMs: 300, hitStream: 'strangler:tracking:hits', workerBatchSize: 200, dbPoolSize: 10, contactCache: { maxEntries: 50_000, ttlMs: 3_600_000, fieldsTtlMs: 10_000 }, mautic: { cookieSecure: true, siteUrl: 'http://127.0.0.1:8080', corsRestrictDomains: true } });
    const set = trackingConfigFromEnv({
      MAUTIC_SITE_URL: 'https://m.example.com/', MAUTIC_COOKIE_SECURE: '0', MAUTIC_DO_NOT_TRACK_IPS: '10.0.0.0/8, 192.0.2.1',
      TRACKING_BOT_DETECTOR: 'isbot', TRACKING_FAST_MODE: 'true', REDIS_URL: 'redis://127.0.0.1:6379', TRACKING_DRY_RUN_LOCK_TIMEOUT_MS: '250',
      TRACKING_HIT_STREAM: 'tenant-b:hits', TRACKING_WORKER_BATCH_SIZE: '500', TRACKING_DB_POOL_SIZE: '32',
      TRACKING_CONTACT_CACHE_SIZE: '0', TRACKING_CONTACT_CACHE_TTL_MS: '60000', TRACKING_CONTACT_FIELDS_TTL_MS: '0',
    });
    expect(set).toMatchObject({ fastMode: true, botDetector: 'isbot', dryRunLockTimeoutMs: 250, hitStream: 'tenant-b:hits', workerBatchSize: 500, dbPoolSize: 32, contactCache: { maxEntries: 0, ttlMs: 60_000, fieldsTtlMs: 0 }, mautic: { siteUrl: 'https://m.example.com', cookieSecure: false, doNotTrackIps: ['10.0.0.0/8', '192.0.2.1'] } });
    expect(Object.isFrozen(set) && Object.isFrozen(set.mautic)).toBe(true);
  });

  it('lists every bad variable at once', () => {
    expect(() => trackingConfigFromEnv({ MAUTIC_COOKIE_SECURE: 'maybe', TRACKING_FAST_MODE: '1' })).toThrow(expect.objectContaining({
      code: 'TRK_ERR_CONFIG_INVALID',
      problems: ['MAUTIC_COOKIE_SECURE: must be true or false, got "maybe"', 'TRACKING_FAST_MODE: fast mode queues every hit, so it needs REDIS_URL'],
    }));
    expect(() => trackingConfigFromEnv({ TRACKING_CONTACT_CACHE_SIZE: 'lots', TRACKING_CONTACT_CACHE_TTL_MS: '5' })).toThrow(expect.objectContaining({
      problems: [expect.stringContaining('contactCache.maxEntries'), expect.stringContaining('contactCache.ttlMs')],
    }));
    expect(() => trackingConfigFromEnv({ MAUTIC_SITE_URL: 'ftp://x', TRACKING_BOT_DETECTOR: 'magic', TRACKING_DRY_RUN_LOCK_TIMEOUT_MS: 'soon', TRACKING_WORKER_BATCH_SIZE: '0' })).toThrow(expect.objectContaining({
      problems: [expect.stringContaining('mautic.siteUrl'), expect.stringContaining('dryRunLockTimeoutMs'), expect.stringContaining('botDetector'), expect.stringContaining('workerBatchSize')],
    }));
  });
});
