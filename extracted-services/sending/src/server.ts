/**
 * Runs the sending service on a port: `startSending(deps, { port: 0 })` in tests, 8103 in
 * the local stack, and `runSending(env)` for `npm run serve -- sending`, which reads PORT,
 * DATABASE_URL, REDIS_URL, SMTP_URL, the `MAUTIC_*` and `SENDING_*` settings, and drains on
 * SIGTERM.
 */
import { createServer } from 'node:http';
import pino from 'pino';
import { listenWithDrain, type ListeningServer } from '../../../legacy-adapter/src/http/listen-with-drain.ts';
import { migrate } from '../../../legacy-adapter/src/db/migrate.ts';
import { openDb } from '../../../legacy-adapter/src/db/open.ts';
import { DEFAULT_DATABASE_URL } from '../../../legacy-adapter/src/db/url.ts';
import { createMailer } from '../../../legacy-adapter/src/mail/create-mailer.ts';
import { buildApp } from './app.ts';
import type { SendingDeps } from './app.ts';
import { DEFAULT_SENDING_PORT } from './config.ts';
import { sendingConfigFromEnv } from './config-from-env.ts';
import { redisMailQueue } from './delivery/mail-queue.ts';

/** Where to listen. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. Default 8103. */
  port?: number;
  /** Interface; default 127.0.0.1. */
  host?: string;
  /** Connections still open this long after `close()` are cut. Default 10 000 ms. */
  drainTimeoutMs?: number;
}

/** A running sending service. */
export interface RunningSending {
  url: string;
  port: number;
  /** Drains (readiness 503, requests in flight finish); does not close the db, mailer or queue. */
  close(): Promise<void>;
}

/**
 * Starts the service.
 *
 * @example
 * const sending = await startSending({ db, config: sendingConfig(), mailer }, { port: 0 });
 */
export async function startSending(deps: Omit<SendingDeps, 'draining'>, listen: ListenOptions = {}): Promise<RunningSending> {
  // `listening` is set before the first request can arrive: listenWithDrain resolves on 'listening'.
  const server = createServer(buildApp({ ...deps, draining: () => listening.draining() }));
  const listening: ListeningServer = await listenWithDrain(server, { port: listen.port ?? DEFAULT_SENDING_PORT, host: listen.host ?? '127.0.0.1', drainTimeoutMs: listen.drainTimeoutMs ?? 10_000 });
  return { url: listening.url, port: listening.port, close: listening.close };
}

/** `npm run serve -- sending`: configuration from `env`, listen, drain on SIGTERM/SIGINT. */
export async function runSending(env: NodeJS.ProcessEnv): Promise<void> {
  const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_SENDING_PORT : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: must be a port number 0–65535, got ${JSON.stringify(env.PORT)}`);
  const config = sendingConfigFromEnv(env);
  const mailer = createMailer(env);
  const queue = env.REDIS_URL ? redisMailQueue(env.REDIS_URL, config.queue) : undefined;
  const db = await openDb(env.DATABASE_URL || DEFAULT_DATABASE_URL);
  // The embedded SQLite file may be new; a MySQL database is Mautic's and is never touched.
  if (db.dialect === 'sqlite') await migrate(db);
  const logger = pino({ name: 'sending' });
  const logError = (err: unknown, req: { method: string; originalUrl: string }) => logger.error({ err, method: req.method, url: req.originalUrl }, 'sending request failed');
  const sending = await startSending({ db, config, mailer, queue, logError }, { port, host: env.HOST || '0.0.0.0' });
  process.stdout.write(`sending listening on ${sending.url}${queue ? ' (queue on REDIS_URL)' : ''}\n`);
  const stop = (): void => {
    void sending.close().then(() => Promise.all([queue?.close(), mailer.close()])).then(() => db.close()).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
