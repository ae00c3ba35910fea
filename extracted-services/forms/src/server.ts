/**
 * Runs the forms service on a port: `startForms(deps, { port: 0 })` in tests, 8102 in the
 * local stack, and `runForms(env)` for `npm run serve -- forms`, which reads PORT,
 * DATABASE_URL, the `MAUTIC_*` and `FORMS_*` settings and drains on SIGTERM.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
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
  /** Drains (readiness 503, requests in flight finish, idle connections close); does not close `deps.db`. */
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
  let draining = false;
  const server = createServer(buildApp({ ...deps, draining: () => draining })).listen(listen.port ?? DEFAULT_FORMS_PORT, listen.host ?? '127.0.0.1');
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await once(server, 'listening');
  const { port, address } = server.address() as AddressInfo;
  const close = (): Promise<void> => {
    draining = true;
    return new Promise<void>((resolve, reject) => {
      const cut = setTimeout(() => sockets.forEach((s) => s.destroy()), listen.drainTimeoutMs ?? 10_000);
      server.close((err) => (clearTimeout(cut), err ? reject(err) : resolve()));
      server.closeIdleConnections();
      server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    });
  };
  return { url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`, port, close };
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
