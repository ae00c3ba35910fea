import { sendingConfigFromEnv } from './config-from-env.ts';
import { sendingConfig } from './config.ts';

describe('sending configuration from the environment', () => {
  it('keeps the defaults when nothing is set', () => {
    expect(sendingConfigFromEnv({})).toEqual(sendingConfig());
    expect(sendingConfig().queue).toMatchObject({ tenant: 'default', transport: 'smtp', attempts: 8, concurrency: 10, ratePerSecond: 0 });
    expect(sendingConfig().smtpPool).toEqual({ maxMessages: 100 });
  });

  it('reads the MAUTIC_* and SENDING_* variables', () => {
    const config = sendingConfigFromEnv({
      MAUTIC_SITE_URL: 'https://m.example.com/', MAUTIC_API_ENABLED: 'false', MAUTIC_API_ENABLE_BASIC_AUTH: '0', MAUTIC_MAILER_FROM_EMAIL: 'news@example.com',
      SENDING_TENANT: 'acme', SENDING_RATE_PER_SECOND: '200', SENDING_CONCURRENCY: '20', SENDING_BATCH_SIZE: '500',
      SENDING_PENDING_MAIL_AFTER_MS: '60000', SENDING_PENDING_MAIL_INTERVAL_MS: '1000', SENDING_SMTP_MAX_CONNECTIONS: '8', SENDING_SMTP_MAX_MESSAGES: '1000',
    });
    expect(config.mautic).toMatchObject({ siteUrl: 'https://m.example.com', apiEnabled: false, apiEnableBasicAuth: false, mailerFromEmail: 'news@example.com' });
    expect(config.queue).toMatchObject({ tenant: 'acme', ratePerSecond: 200, concurrency: 20 });
    expect(config.defaultBatchSize).toBe(500);
    expect(config.pendingMail).toEqual({ afterMs: 60_000, intervalMs: 1_000 });
    expect(config.smtpPool).toEqual({ maxConnections: 8, maxMessages: 1_000 });
  });

  it('lists every bad variable at once, with its name or path', () => {
    expect(() => sendingConfigFromEnv({ MAUTIC_API_ENABLED: 'maybe', SENDING_CONCURRENCY: 'many' })).toThrow(
      expect.objectContaining({ code: 'SND_ERR_CONFIG_INVALID', problems: [expect.stringContaining('MAUTIC_API_ENABLED'), expect.stringContaining('SENDING_CONCURRENCY')] }),
    );
    expect(() => sendingConfigFromEnv({ MAUTIC_SITE_URL: 'ftp://x', SENDING_TENANT: 'Bad Tenant', SENDING_CONCURRENCY: '0', SENDING_PENDING_MAIL_INTERVAL_MS: '1' })).toThrow(
      expect.objectContaining({ problems: [expect.stringContaining('mautic.siteUrl'), expect.stringContaining('queue.tenant'), expect.stringContaining('queue.concurrency'), expect.stringContaining('pendingMail.intervalMs')] }),
    );
  });
});
