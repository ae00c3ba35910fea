/**
 * The sending service as one Express app: health and metrics, Mautic's API gates
 * (docs/mautic/public-http.md §5.1), the two send routes (§5.2, §5.3) and the reply route (§5.4)
 * through `runApi`, 405
 * for their other methods, and a JSON 404 for anything else.
 */
import express from 'express';
import type { Request } from 'express';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { Mailer } from '../../../legacy-adapter/src/mail/types.ts';
import type { SendingConfig } from './config.ts';
import type { MailQueue } from './delivery/mail-queue.ts';
import { createSendingMetrics } from './delivery/metrics.ts';
import type { SendingMetrics } from './delivery/metrics.ts';
import { SendingError } from './errors.ts';
import { writeError } from './routes/answer.ts';
import { apiGate } from './routes/api-gate.ts';
import { serviceApp } from '../../service-kit/service-app.ts';
import { runApi } from './routes/run-api.ts';
import { replyToStat } from './routes/reply.ts';
import { sendToContact } from './routes/send-contact.ts';
import { sendToSegment } from './routes/send-segment.ts';

/** What the app is built from. */
export interface SendingDeps {
  /** The Mautic database (MariaDB/MySQL, or SQLite embedded). */
  db: Db;
  config: SendingConfig;
  /** Where messages go without a queue: SMTP or the outbox folder (with a queue, a message Redis does not take waits as pending mail). */
  mailer: Mailer;
  /** The delivery queue (`REDIS_URL`); absent: messages are sent in the request, as `sync://`. */
  queue?: MailQueue;
  /** Clock; default the system clock. Tests inject a fixed one. */
  now?: () => Date;
  /** Errors that became a 5xx answer; default silent. */
  logError?: (err: unknown, req: Request) => void;
  /** True once shutdown began (readiness answers 503). */
  draining?: () => boolean;
  metrics?: SendingMetrics;
}

/** The reply path goes first, as in the stand-in: `/api/emails/reply/send` is a reply, not a send of email `reply`. */
const PATHS = { reply: '/api/emails/reply/:trackingHash', segment: '/api/emails/:id/send', contact: '/api/emails/:id/contact/:contactId/send' } as const;

/**
 * Builds the app without listening (server.ts listens).
 *
 * @example
 * const app = buildApp({ db, config: sendingConfig(), mailer });
 */
export function buildApp(deps: SendingDeps): express.Express {
  const metrics = deps.metrics ?? createSendingMetrics();
  const apiDeps = {
    db: deps.db, config: deps.config, mailer: deps.mailer, queue: deps.queue, metrics,
    now: deps.now ?? (() => new Date()), logError: deps.logError ?? (() => {}),
  };
  const app = serviceApp({ db: deps.db, metrics, ...(deps.draining ? { draining: deps.draining } : {}) });
  app.use(apiGate(deps.config.mautic));
  const router = express.Router({ strict: true, caseSensitive: true });
  router.post(PATHS.reply, runApi(apiDeps, replyToStat));
  router.post(PATHS.segment, runApi(apiDeps, sendToSegment));
  router.post(PATHS.contact, runApi(apiDeps, sendToContact));
  for (const path of Object.values(PATHS)) {
    router.all(path, function methodNotAllowed(req, res) {
      res.setHeader('Allow', 'POST');
      writeError(res, new SendingError('SND_ERR_METHOD_NOT_ALLOWED', { method: req.method, uri: req.originalUrl }));
    });
  }
  app.use(router);
  app.use(function notFound(req, res) {
    writeError(res, new SendingError('SND_ERR_ROUTE_NOT_FOUND', { uri: req.originalUrl }));
  });
  return app;
}
