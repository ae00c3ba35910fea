/**
 * The forms service as one Express app: health, Mautic's CORS rules, the two submit routes
 * (docs/mautic/public-http.md §4.2, §4.3), `/form/message` (§4.4: the flash of a classic
 * submission), and Mautic's 404 for anything else. The other read-only form pages
 * (`/form/{id}`, `/form/embed/{id}`, `/form/generate.js`) stay with the monolith.
 */
import express from 'express';
import type { Request } from 'express';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { writeAnswer } from '../../service-kit/answer.ts';
import { corsRules } from '../../service-kit/cors.ts';
import { serviceApp } from '../../service-kit/service-app.ts';
import type { FormsConfig } from './config.ts';
import { FormsError } from './errors.ts';
import { errorAnswer } from './routes/error-answer.ts';
import { messageHandler } from './routes/message.ts';
import { submitHandler } from './routes/submit.ts';

/** What the app is built from. */
export interface FormsDeps {
  /** The Mautic database (MariaDB/MySQL, or SQLite embedded). */
  db: Db;
  config: FormsConfig;
  /** Clock; default the system clock. Tests inject a fixed one. */
  now?: () => Date;
  /** Errors that became a 5xx answer; default silent. */
  logError?: (err: unknown, req: Request) => void;
  /** True once shutdown began (readiness answers 503). */
  draining?: () => boolean;
}

/**
 * Builds the app without listening (server.ts listens).
 *
 * @example
 * const app = buildApp({ db, config: formsConfig() });
 * await request(app).post('/form/submit?ajax=1').type('form').send('mauticform[formId]=1');
 */
export function buildApp(deps: FormsDeps): express.Express {
  const submitDeps = { db: deps.db, config: deps.config, now: deps.now ?? (() => new Date()), logError: deps.logError ?? (() => {}) };
  const app = serviceApp({ db: deps.db, ...(deps.draining ? { draining: deps.draining } : {}) });
  app.use(corsRules(deps.config.mautic));
  const router = express.Router({ strict: true, caseSensitive: true });
  router.all('/form/submit', submitHandler(submitDeps, false));
  router.all('/form/submit/ajax', submitHandler(submitDeps, true));
  router.get('/form/message', messageHandler(deps.config.secretKey));
  app.use(router);
  app.use(function notFound(req, res) {
    writeAnswer(res, errorAnswer(new FormsError('FORMS_ERR_NOT_FOUND', { uri: req.originalUrl }), req.get('accept') ?? ''));
  });
  return app;
}
