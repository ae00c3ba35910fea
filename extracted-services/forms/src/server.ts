/**
 * Runs the forms service on a port: `startForms(deps, { port: 0 })` in tests, 8102 in the
 * local stack, and `runForms(env)` for `npm run serve -- forms`, which reads PORT,
 * DATABASE_URL, the `MAUTIC_*` and `FORMS_*` settings and drains on SIGTERM.
 */
import { createServer } from 'node:http';
import pino from 'pino';
import { exitOnStopSignal, listenService, openServiceDb, portFromEnv, type ListenOptions, type RunningService } from '../../service-kit/run-service.ts';
import { buildApp } from './app.ts';
import type { FormsDeps } from './app.ts';
import { DEFAULT_FORMS_PORT } from './config.ts';
import { formsConfigFromEnv } from './config-from-env.ts';

/** A running forms service; `close()` does not close `deps.db`. */
export type RunningForms = RunningService;

/**
 * Starts the service.
 *
 * @example
 * const forms = await startForms({ db, config: formsConfig() }, { port: 0 });
 * await forms.close();
 */
export async function startForms(deps: Omit<FormsDeps, 'draining'>, listen: ListenOptions = {}): Promise<RunningForms> {
  return listenService((draining) => createServer(buildApp({ ...deps, draining })), listen, DEFAULT_FORMS_PORT);
}

/** `npm run serve -- forms`: configuration from `env`, listen, drain on SIGTERM/SIGINT. */
export async function runForms(env: NodeJS.ProcessEnv): Promise<void> {
  const port = portFromEnv(env, DEFAULT_FORMS_PORT);
  const config = formsConfigFromEnv(env);
  const db = await openServiceDb(env);
  const logger = pino({ name: 'forms' });
  const forms = await startForms({ db, config, logError: (err, req) => logger.error({ err, method: req.method, url: req.originalUrl }, 'form submission failed') }, { port, host: env.HOST || '0.0.0.0' });
  process.stdout.write(`forms listening on ${forms.url}\n`);
  exitOnStopSignal('forms', () => forms.close().then(() => db.close()));
}
