/**
 * The sending service's configuration from the environment: the stand-in's `MAUTIC_*`
 * variables (`MAUTIC_SITE_URL`, `MAUTIC_SECRET_KEY`, `MAUTIC_API_ENABLED`,
 * `MAUTIC_API_ENABLE_BASIC_AUTH`, `MAUTIC_MAILER_FROM_EMAIL`, `MAUTIC_MAILER_FROM_NAME`, `MAUTIC_UPLOAD_DIR`) and
 * `SENDING_*` for the service's own (the queue, the pending-mail sweeper, the worker's SMTP pool, dry runs, batches). Every bad variable is reported at once.
 */
import { SendingConfigError, sendingConfig } from './config.ts';
import type { SendingConfig, SendingConfigInput } from './config.ts';

type Env = Record<string, string | undefined>;

const MAUTIC_KEYS = {
  MAUTIC_SITE_URL: ['siteUrl', 'text'], MAUTIC_SECRET_KEY: ['secretKey', 'text'], MAUTIC_API_ENABLED: ['apiEnabled', 'boolean'],
  MAUTIC_API_ENABLE_BASIC_AUTH: ['apiEnableBasicAuth', 'boolean'], MAUTIC_MAILER_FROM_EMAIL: ['mailerFromEmail', 'text'], MAUTIC_MAILER_FROM_NAME: ['mailerFromName', 'text'],
  MAUTIC_UPLOAD_DIR: ['uploadDir', 'text'],
} as const;

const QUEUE_KEYS = {
  SENDING_TENANT: ['tenant', 'text'], SENDING_TRANSPORT: ['transport', 'text'], SENDING_ATTEMPTS: ['attempts', 'int'], SENDING_BACKOFF_MS: ['backoffMs', 'int'],
  SENDING_CONCURRENCY: ['concurrency', 'int'], SENDING_RATE_PER_SECOND: ['ratePerSecond', 'int'], SENDING_LOCK_MS: ['lockMs', 'int'],
} as const;

const PENDING_MAIL_KEYS = { SENDING_PENDING_MAIL_AFTER_MS: ['afterMs', 'int'], SENDING_PENDING_MAIL_INTERVAL_MS: ['intervalMs', 'int'] } as const;

const SMTP_POOL_KEYS = { SENDING_SMTP_MAX_CONNECTIONS: ['maxConnections', 'int'], SENDING_SMTP_MAX_MESSAGES: ['maxMessages', 'int'] } as const;

function parse(name: string, raw: string, kind: 'text' | 'boolean' | 'int', problems: string[]): unknown {
  if (kind === 'text') return raw;
  if (kind === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name}: must be true or false, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  if (/^\d+$/.test(raw)) return Number(raw);
  problems.push(`${name}: must be a whole number, got ${JSON.stringify(raw)}`);
  return undefined;
}

function pick(env: Env, keys: Record<string, readonly [string, 'text' | 'boolean' | 'int']>, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, [key, kind]] of Object.entries(keys)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') out[key] = parse(name, raw, kind, problems);
  }
  return out;
}

/**
 * Reads the configuration; `MAUTIC_SITE_URL` defaults to the gateway on `GATEWAY_PORT` (8080).
 *
 * @throws SendingConfigError listing every bad variable
 * @example
 * const config = sendingConfigFromEnv(process.env);
 */
export function sendingConfigFromEnv(env: Env): SendingConfig {
  const problems: string[] = [];
  const mautic = pick(env, MAUTIC_KEYS, problems);
  const queue = pick(env, QUEUE_KEYS, problems);
  const pendingMail = pick(env, PENDING_MAIL_KEYS, problems);
  const smtpPool = pick(env, SMTP_POOL_KEYS, problems);
  const input: Record<string, unknown> = { mautic, queue, pendingMail, smtpPool };
  if (env.SENDING_DRY_RUN_LOCK_TIMEOUT_MS) input.dryRunLockTimeoutMs = parse('SENDING_DRY_RUN_LOCK_TIMEOUT_MS', env.SENDING_DRY_RUN_LOCK_TIMEOUT_MS, 'int', problems);
  if (env.SENDING_BATCH_SIZE) input.defaultBatchSize = parse('SENDING_BATCH_SIZE', env.SENDING_BATCH_SIZE, 'int', problems);
  if (problems.length > 0) throw new SendingConfigError(problems);
  return sendingConfig(input as SendingConfigInput);
}
