/** The forms configuration: defaults, the environment's variables, every bad one listed. */
import { FormsConfigError, formsConfig } from '../src/config.ts';
import { formsConfigFromEnv } from '../src/config-from-env.ts';

describe('forms configuration', () => {
  it('has Mautic\'s defaults and its own', () => {
    const config = formsConfig();
    expect(config).toMatchObject({ dryRunLockTimeoutMs: 300, maxBodyBytes: 8 * 1024 * 1024, uploadDir: 'var/uploads/forms', mautic: { siteUrl: 'http://127.0.0.1:8080', cookieSecure: true } });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads MAUTIC_* and FORMS_* variables', () => {
    const config = formsConfigFromEnv({ MAUTIC_SITE_URL: 'https://m.example.com/', MAUTIC_COOKIE_SECURE: '0', FORMS_UPLOAD_DIR: '/data/forms', FORMS_MAX_BODY_BYTES: '1000', TRACKING_FAST_MODE: '1' });
    expect(config).toMatchObject({ uploadDir: '/data/forms', maxBodyBytes: 1000, mautic: { siteUrl: 'https://m.example.com', cookieSecure: false } });
  });

  it('reads MAUTIC_SECRET_KEY, which signs the flash cookie, and refuses a short one', () => {
    expect(formsConfig().secretKey).toBe('strangler-dev-secret-key-change-me');
    expect(formsConfigFromEnv({ MAUTIC_SECRET_KEY: '0123456789abcdef0123' }).secretKey).toBe('0123456789abcdef0123');
    expect(() => formsConfigFromEnv({ MAUTIC_SECRET_KEY: 'short' })).toThrow(/secretKey: Too small/);
  });

  it('lists every bad variable', () => {
    const attempt = () => formsConfigFromEnv({ MAUTIC_COOKIE_SECURE: 'maybe', FORMS_DRY_RUN_LOCK_TIMEOUT_MS: 'soon', FORMS_MAX_BODY_BYTES: '-1' });
    expect(attempt).toThrow(FormsConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as FormsConfigError).problems).toEqual([
        'MAUTIC_COOKIE_SECURE: must be true or false, got "maybe"',
        'FORMS_DRY_RUN_LOCK_TIMEOUT_MS: must be a whole number, got "soon"',
        'FORMS_MAX_BODY_BYTES: must be a whole number, got "-1"',
      ]);
    }
  });
});
