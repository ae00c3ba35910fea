/**
 * Runs the sending service on a port: `startSending(deps, { port: 0 })` in tests, 8103 in
 * the local stack, and `runSending(env)` for `npm run serve -- sending`, which reads PORT,
 * DATABASE_URL, REDIS_URL, SMTP_URL, the `MAUTIC_*` and `SENDING_*` settings (with a queue:
 * `SENDING_QUEUE_PREFIX`, and the pending-mail sweeper's), and drains on SIGTERM.
 */
import { createServer } from 'node:http';
import pino from 'pino';
import { exitOnStopSignal, listenService, openServiceDb, portFromEnv, type ListenOptions, type RunningService } from '../../service-kit/run-service.ts';
import { createMailer } from '../../../legacy-adapter/src/mail/create-mailer.ts';
import { buildApp } from './app.ts';
import type { SendingDeps } from './app.ts';
import { DEFAULT_SENDING_PORT } from './config.ts';
import { sendingConfigFromEnv } from './config-from-env.ts';
import { ensurePendingMailTable } from '../../../legacy-adapter/src/data/pending-mail.ts';
import { redisMailQueue } from './delivery/mail-queue.ts';
import { createSendingMetrics } from './delivery/metrics.ts';
import { startPendingMailSweeper } from './delivery/pending-mail-sweeper.ts';

/** A running sending service; `close()` does not close the db, mailer or queue. */
export type RunningSending = RunningService;

/**
 * Starts the service.
 *
 * @example
 * const sending = await startSending({ db, config: sendingConfig(), mailer }, { port: 0 });
 */
export async function startSending(deps: Omit<SendingDeps, 'draining'>, listen: ListenOptions = {}): Promise<RunningSending> {
  // A queued send writes pending-mail rows: the one table of ours it needs.
  if (deps.queue) await ensurePendingMailTable(deps.db);
  return listenService((draining) => createServer(buildApp({ ...deps, draining })), listen, DEFAULT_SENDING_PORT);
}

/** `npm run serve -- sending`: configuration from `env`, listen, drain on SIGTERM/SIGINT. */
export async function runSending(env: NodeJS.ProcessEnv): Promise<void> {
  const port = portFromEnv(env, DEFAULT_SENDING_PORT);
  const config = sendingConfigFromEnv(env);
  const mailer = createMailer(env);
  const queue = env.REDIS_URL ? redisMailQueue(env.REDIS_URL, config.queue, env.SENDING_QUEUE_PREFIX || undefined) : undefined;
  const db = await openServiceDb(env);
  const logger = pino({ name: 'sending' });
  const metrics = createSendingMetrics();
  const logError = (err: unknown, req: { method: string; originalUrl: string }) => logger.error({ err, method: req.method, url: req.originalUrl }, 'sending request failed');
  const sending = await startSending({ db, config, mailer, queue, logError, metrics }, { port, host: env.HOST || '0.0.0.0' });
  const sweeper = queue && startPendingMailSweeper({
    db, queue, metrics, ...config.pendingMail,
    log: {
      swept: (count, statIds) => logger.warn({ count, statIds }, 'pending mail queued: committed earlier, never queued'),
      unreadable: (statId) => logger.error({ statId }, 'pending-mail row with an unreadable job left in place'),
      error: (err) => logger.error({ err }, 'pending-mail sweep failed'),
    },
  });
  process.stdout.write(`sending listening on ${sending.url}${queue ? ' (queue on REDIS_URL)' : ''}\n`);
  exitOnStopSignal('sending', () => sending.close().then(() => sweeper?.close()).then(() => Promise.all([queue?.close(), mailer.close()])).then(() => db.close()));
}
