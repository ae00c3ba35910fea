import express, { type NextFunction, type Request, type Response } from 'express';
import type { StandinDeps } from '../deps.ts';
import { createFlashSessions } from './flash-session.ts';
import { embedForm, generateJs, showForm, showMessage } from './form-pages.ts';
import { submitForm } from './submit-handler.ts';

type AsyncHandler = (req: Request, res: Response) => Promise<void> | void;

/** Passes a rejected handler's error to the stand-in's one error handler. */
function route(handler: AsyncHandler) {
  return async function formsRoute(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      await handler(req, res);
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The stand-in's public form endpoints (docs/mautic/public-http.md §4):
 * `/form/submit` (classic, messenger and AJAX modes), `/form/submit/ajax`,
 * `/form/message`, `/form/generate.js`, `/form/embed/{id}` and `/form/{id}`.
 * Writes synchronously (Mautic 5's default `sync://`). Mount before the
 * stand-in's catch-all and error handler.
 *
 * @example
 * app.use(formsRouter(deps));
 */
export function formsRouter(deps: StandinDeps): express.Router {
  const router = express.Router();
  const sessions = createFlashSessions(deps.config);
  router.all('/form/submit', route((req, res) => submitForm(deps, sessions, req, res, false)));
  router.all('/form/submit/ajax', route((req, res) => submitForm(deps, sessions, req, res, true)));
  router.all('/form/message', route((req, res) => showMessage(sessions, req, res)));
  router.get('/form/generate.js', route((req, res) => generateJs(deps, req, res)));
  router.get('/form/embed/:id', route((req, res) => embedForm(deps, req, res)));
  router.get('/form/:id', route((req, res) => showForm(deps, req, res)));
  return router;
}
