/**
 * The sending service's one configuration schema (zod): the Mautic settings the send
 * routes read (the same `MAUTIC_*` variables as the stand-in, docs/mautic/public-http.md
 * §5.1, §5.5–5.7) and the service's own (dry runs, batches, the delivery queue).
 * Validated at start-up; every problem is reported with its path.
 */
import { z } from 'zod';
import { DEV_SECRET_KEY } from '../../../legacy-adapter/src/codecs/ids.ts';

/** Port of the sending service in the local stack (docs/architecture.md §9). */
export const DEFAULT_SENDING_PORT = 8103;

/** Mautic's configuration keys the send routes honour. */
export const sendingMauticSchema = z.object({
  /** `site_url`: origin of every URL in a message (the gateway's public URL); no trailing slash. */
  siteUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080').transform((u) => u.replace(/\/+$/, '')),
  /** `secret_key`: key of the unsubscribe HMAC (§3.8); shared with the monolith or old links break. */
  secretKey: z.string().min(16).default(DEV_SECRET_KEY),
  /** `api_enabled` (§5.1). Mautic's default is false; ours is true, as the stand-in's. */
  apiEnabled: z.boolean().default(true),
  /** `api_enable_basic_auth` (§5.1). Mautic's default is false; ours is true, as the stand-in's. */
  apiEnableBasicAuth: z.boolean().default(true),
  /** `mailer_from_email` / `mailer_from_name`: the sender of an email that names none. */
  mailerFromEmail: z.email().optional(),
  mailerFromName: z.string().optional(),
  /** `upload_dir`: the folder of local assets' files, attached by `assetAttachments` (§5.3); relative to the working directory. */
  uploadDir: z.string().min(1).default('media/files'),
}).strict();

/** The delivery queue's settings (README § Delivery). */
export const queueSchema = z.object({
  /** Tenant whose mail this deployment sends; part of the queue name, so each tenant has its own rate. */
  tenant: z.string().regex(/^[a-z0-9-]{1,40}$/).default('default'),
  /** Name of the SMTP transport; part of the queue name (the rate limit is per transport, per tenant). */
  transport: z.string().regex(/^[a-z0-9-]{1,40}$/).default('smtp'),
  /** Tries per message before it goes to the dead-letter queue. */
  attempts: z.number().int().min(1).max(50).default(8),
  /** First retry delay in ms; doubles each try. */
  backoffMs: z.number().int().min(1).max(3_600_000).default(2_000),
  /** Messages one worker sends at once (SMTP connections of its pool). */
  concurrency: z.number().int().min(1).max(256).default(10),
  /** Most messages per second for this tenant and transport, over all workers; 0 = no limit. */
  ratePerSecond: z.number().int().min(0).max(1_000_000).default(0),
  /** A worker that stops renewing its lock this long (ms) is presumed dead; its message is retried. */
  lockMs: z.number().int().min(200).max(600_000).default(30_000),
}).strict();

/** The mail worker's pooled SMTP transport (nodemailer's pool). */
export const smtpPoolSchema = z.object({
  /** Connections the pool keeps open; absent: one per message in flight (`queue.concurrency`). */
  maxConnections: z.number().int().min(1).max(256).optional(),
  /** Messages one connection carries before the pool replaces it (nodemailer's default, 100). */
  maxMessages: z.number().int().min(1).max(1_000_000).default(100),
}).strict();

/** The pending-mail sweeper's settings (README § Delivery): when a message left out of the queue is queued. */
export const pendingMailSchema = z.object({
  /** A pending-mail row is swept once it is this old (ms): far longer than a request takes from its commit to its enqueue. */
  afterMs: z.number().int().min(0).max(86_400_000).default(30_000),
  /** Time between two sweeps (ms). */
  intervalMs: z.number().int().min(10).max(3_600_000).default(5_000),
}).strict();

/** The service's settings. */
export const sendingConfigSchema = z.object({
  mautic: sendingMauticSchema.default(() => sendingMauticSchema.parse({})),
  queue: queueSchema.default(() => queueSchema.parse({})),
  pendingMail: pendingMailSchema.default(() => pendingMailSchema.parse({})),
  smtpPool: smtpPoolSchema.default(() => smtpPoolSchema.parse({})),
  /** Lock-wait and statement timeout of a dry run, in ms (docs/architecture.md §5: a few hundred). */
  dryRunLockTimeoutMs: z.number().int().min(1).max(10_000).default(300),
  /** Contacts per batch of a segment send when the caller gives no `batch` (§5.2). */
  defaultBatchSize: z.number().int().min(1).max(10_000).default(50),
  /** Largest request body in bytes (PHP's `post_max_size` default, 8M). */
  maxBodyBytes: z.number().int().min(1).default(8 * 1024 * 1024),
}).strict();

/** The validated configuration. */
export type SendingConfig = z.infer<typeof sendingConfigSchema>;
/** What `sendingConfig` accepts. */
export type SendingConfigInput = z.input<typeof sendingConfigSchema>;

/** A bad configuration: every problem, each with its path. */
export class SendingConfigError extends Error {
  readonly code = 'SND_ERR_CONFIG_INVALID';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid sending configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'SendingConfigError';
    this.problems = problems;
  }
}

/**
 * Validates and freezes a configuration; defaults fill what is missing.
 *
 * @throws SendingConfigError listing every problem with its path
 * @example
 * const config = sendingConfig({ mautic: { siteUrl: 'https://m.example.com' } });
 */
export function sendingConfig(input: SendingConfigInput = {}): SendingConfig {
  const parsed = sendingConfigSchema.safeParse(input);
  if (!parsed.success) throw new SendingConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return Object.freeze(parsed.data);
}
