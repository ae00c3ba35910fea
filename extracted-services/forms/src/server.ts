/**
 * Runs the forms service on a port: `startForms(deps, { port: 0 })` in tests, 8102 in the
 * local stack, and `runForms(env)` for `npm run serve -- forms`, which reads PORT,
 * DATABASE_URL, the `MAUTIC_*` and `FORMS_*` settings and drains on SIGTERM.
 */
import { createServer } from 'node:http';
import pino from 'pino';
import { listenWithDrain, type ListeningServer } from '../../../legacy-adapter/src/http/listen-with-drain.ts';
import { migrate } from '../../../legacy-adapter/src/db/migrate.ts';
import { openDb } from '../../../legacy-adapter/src/db/open.ts';
import { DEFAULT_DATABASE_URL } from '../../../legacy-adapter/src/db/url.ts';
import { buildApp } from './app.ts';
import type { FormsDeps } from './app.ts';
import { DEFAULT_FORMS_PORT } from './config.ts';
import { formsConfigFromEnv } from './config-from-env.ts';

/** Where to listen. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. Default 8102. */
  port?: number;
  /** Interface; default 127.0.0.1. */
  host?: string;
  /** Connections still open this long after `close()` are cut. Default 10 000 ms. */
  drainTimeoutMs?: number;
}

/** A running forms service. */
export interface RunningForms {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  /** Drains (readiness 503, legacy-adapter/src/http/listen-with-drain.ts); does not close `deps.db`. */
  close(): Promise<void>;
}

/**
 * Starts the service.
 *
 * @example
 * const forms = await startForms({ db, config: formsConfig() }, { port: 0 });
 * await forms.close();
 */
export async function startForms(deps: Omit<FormsDeps, 'draining'>, listen: ListenOptions = {}): Promise<RunningForms> {
  // `listening` is set before the first request can arrive: listenWithDrain resolves on 'listening'.
  const server = createServer(buildApp({ ...deps, draining: () => listening.draining() }));
  const listening: ListeningServer = await listenWithDrain(server, { port: listen.port ?? DEFAULT_FORMS_PORT, host: listen.host ?? '127.0.0.1', drainTimeoutMs: listen.drainTimeoutMs ?? 10_000 });
  return { url: listening.url, port: listening.port, close: listening.close };
}

/** `npm run serve -- forms`: configuration from `env`, listen, drain on SIGTERM/SIGINT. */
export async function runForms(env: NodeJS.ProcessEnv): Promise<void> {
  const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_FORMS_PORT : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: must be a port number 0–65535, got ${JSON.stringify(env.PORT)}`);
  const config = formsConfigFromEnv(env);
  const db = await openDb(env.DATABASE_URL || DEFAULT_DATABASE_URL);
  // The embedded SQLite file may be new; a MySQL database is Mautic's and is never touched.
  if (db.dialect === 'sqlite') await migrate(db);
  const logger = pino({ name: 'forms' });
  const forms = await startForms({ db, config, logError: (err, req) => logger.error({ err, method: req.method, url: req.originalUrl }, 'form submission failed') }, { port, host: env.HOST || '0.0.0.0' });
  process.stdout.write(`forms listening on ${forms.url}\n`);
  const stop = (): void => {
    void forms.close().then(() => db.close()).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
