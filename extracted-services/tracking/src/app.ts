/**
 * The tracking service as one Express app: health, Mautic's CORS rules, the tracking
 * routes in Mautic's order (docs/mautic/public-http.md §1.4, §3.1–3.6), and Mautic's 404
 * for anything else. Every tracking route runs through `runHandler` (one transaction per
 * request, dry runs, one error answer).
 */
import express from 'express';
import type { Request } from 'express';
import { isRequestLineTooLong } from '../../../legacy-adapter/src/codecs/request-line.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { TrackingConfig } from './config.ts';
import { TrackingError } from './errors.ts';
import { writeAnswer } from '../../service-kit/answer.ts';
import { clickHandler } from './routes/click.ts';
import { fastPixelHandler } from './routes/fast-pixel.ts';
import { corsRules } from '../../service-kit/cors.ts';
import { emailOpenHandler } from './routes/email-open.ts';
import { errorAnswer } from './routes/error-answer.ts';
import { eventHandler, pixelHandler, whoAmIHandler } from './routes/page-view.ts';
import { createTrackingMetrics } from './routes/phase-two.ts';
import type { TrackingMetrics } from './routes/phase-two.ts';
import { serviceApp } from '../../service-kit/service-app.ts';
import { runHandler } from './routes/run-handler.ts';
import type { HandlerDeps } from './routes/run-handler.ts';
import type { HitQueue } from './queue/hit-queue.ts';
import { buildScript, scriptHandler } from './routes/script.ts';
import { contactCache } from '../../service-kit/visitor/contact-cache.ts';

/** Where the service's log lines go. */
export interface TrackingLog {
  /** Mautic's notices, e.g. "Invalid clickthrough value: …". */
  notice(message: string): void;
  /** Errors that became a 5xx answer. */
  error(err: unknown, req: Request): void;
  /** A hit whose phase 2 could be kept nowhere (queue and database failed): the whole message. */
  lost(err: unknown, message: string): void;
}

/** What the app is built from. */
export interface TrackingDeps {
  /** The Mautic database (MariaDB/MySQL, or SQLite embedded). */
  db: Db;
  config: TrackingConfig;
  /** Clock; default the system clock. Tests inject a fixed one. */
  now?: () => Date;
  /** Default: silent. */
  log?: TrackingLog;
  /** True once shutdown began (readiness answers 503). */
  draining?: () => boolean;
  /**
   * The phase-2 queue (Redis Streams, worker.ts). Absent (no `REDIS_URL`): phase 2 runs in
   * the request, as Mautic's `sync://`.
   */
  queue?: HitQueue;
  /** Metrics registry to count into (default: a new one, served at `/metrics`). */
  metrics?: TrackingMetrics;
  /** Test hook: with a queue, after a request's hits were queued and before its COMMIT (run-handler.ts). */
  beforeCommit?: HandlerDeps['beforeCommit'];
}

const SILENT: TrackingLog = { notice: () => {}, error: () => {}, lost: () => {} };

/**
 * Builds the app without listening (server.ts listens).
 *
 * @example
 * const app = buildApp({ db, config: trackingConfig() });
 * await request(app).get('/mtracking.gif').expect(200);
 */
export function buildApp(deps: TrackingDeps): express.Express {
  const log = deps.log ?? SILENT;
  const now = deps.now ?? (() => new Date());
  const metrics = deps.metrics ?? createTrackingMetrics();
  const handlerDeps: HandlerDeps = {
    db: deps.db, config: deps.config, now, logError: (err: unknown, req: Request) => log.error(err, req),
    contactCache: contactCache({ ...deps.config.contactCache, onOutcome: (outcome) => metrics.contactCache.inc({ outcome }) }),
    phaseTwo: deps.queue ? { queue: deps.queue, metrics, logLost: (err, message) => log.lost(err, message) } : undefined,
    onLockRetry: () => metrics.lockRetries.inc(),
    ...(deps.beforeCommit ? { beforeCommit: deps.beforeCommit } : {}),
  };
  const app = serviceApp({ db: deps.db, metrics, ...(deps.draining ? { draining: deps.draining } : {}) });
  app.use(function limitRequestLine(req, res, next) {
    if (!isRequestLineTooLong(req.method, req.originalUrl, req.httpVersion)) return next();
    writeAnswer(res, errorAnswer(new TrackingError('TRK_ERR_URI_TOO_LONG'), req.get('accept') ?? ''));
  });
  app.use(corsRules(deps.config.mautic));
  const router = express.Router({ strict: true, caseSensitive: true });
  router.all('/mtc.js', scriptHandler(buildScript(deps.config.mautic, now())));
  const { queue } = deps;
  const phaseTwo = handlerDeps.phaseTwo;
  router.all('/mtracking.gif', deps.config.fastMode && queue && phaseTwo ? fastPixelHandler({ ...handlerDeps, queue, phaseTwo }) : runHandler(handlerDeps, pixelHandler));
  router.all('/mtc/event', runHandler(handlerDeps, eventHandler));
  router.get('/mtc', runHandler(handlerDeps, whoAmIHandler));
  // No capture groups: Express would decodeURIComponent them and fail on bytes Symfony
  // accepts; the handlers read the raw segment.
  router.all(/^\/(r|redirect)\/[^/]+$/, runHandler(handlerDeps, clickHandler((m) => log.notice(m))));
  // Symfony's placeholder excludes '/' and, before '.gif', '.' (§1.5).
  router.all(/^\/email\/[^/.]+\.gif$/, runHandler(handlerDeps, emailOpenHandler));
  app.use(router);
  app.use(function notFound(req, res) {
    writeAnswer(res, errorAnswer(new TrackingError('TRK_ERR_NOT_FOUND', { uri: req.originalUrl }), req.get('accept') ?? ''));
  });
  return app;
}
