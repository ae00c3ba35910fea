/**
 * The stand-in monolith as one Express app (docs/mautic/public-http.md §1.1 order):
 * web-server rules and CORS first, then the tracking, forms and sending
 * routes, then the catch-all, and one error handler for everything.
 */
import express from 'express';
import type { Request } from 'express';
import { apiGate } from './api-gate.ts';
import { catchAllRouter } from './catch-all.ts';
import { corsMiddleware } from './cors.ts';
import type { StandinDeps } from './deps.ts';
import { standinErrorHandler } from './error-handler.ts';
import { formsRouter } from './forms/router.ts';
import { sendingRouter } from './sending/router.ts';
import { recordNotFoundHit } from './tracking/not-found-hit.ts';
import { trackingRouter } from './tracking/router.ts';
import { indexPhpRedirect, requestLineLimit, symfonyDefaults, trailingSlashRedirect } from './web-server.ts';

/** Where the stand-in's own log lines go. */
export interface StandinLog {
  /** Mautic's notices, e.g. "Invalid clickthrough value: …". */
  notice(message: string): void;
  /** Errors that became a 5xx response. */
  error(err: unknown, req: Request): void;
}

/** Options of `buildStandinApp`. */
export interface StandinAppOptions {
  /** Default: silent. `startStandin` passes a pino logger. */
  log?: StandinLog;
}

const SILENT: StandinLog = { notice: () => {}, error: () => {} };

/**
 * Builds the app without listening (see server.ts).
 *
 * @example
 * const app = buildStandinApp({ db, config: standinConfig(), mailer });
 * await request(app).get('/mtracking.gif').expect(200);
 */
export function buildStandinApp(deps: StandinDeps, options: StandinAppOptions = {}): express.Express {
  const log = options.log ?? SILENT;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('strict routing', true);
  app.use(requestLineLimit(), indexPhpRedirect(), symfonyDefaults(), corsMiddleware(deps.config), apiGate(deps.config), trailingSlashRedirect());
  app.use(trackingRouter(deps, (m) => log.notice(m)));
  app.use(formsRouter(deps));
  app.use(sendingRouter(deps));
  app.use(catchAllRouter(deps, (req, res) => recordNotFoundHit(deps, req, res)));
  app.use(standinErrorHandler((err, req) => log.error(err, req)));
  return app;
}
