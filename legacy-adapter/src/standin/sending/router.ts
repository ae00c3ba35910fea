import express, { type NextFunction, type Request, type Response } from 'express';
import type { StandinDeps } from '../deps.ts';
import { StandinError } from '../errors.ts';
import { ApiError, sendApiError } from './api-errors.ts';
import { replyToStat } from './reply.ts';
import { sendToContact } from './send-contact.ts';
import { sendToSegments } from './send-segment.ts';

type Handler = (deps: StandinDeps, req: Request, res: Response) => Promise<void>;

/**
 * Runs a handler: controller errors are answered here, everything else goes
 * to the stand-in's error handler (framework JSON shape, never a stack trace).
 */
function handle(deps: StandinDeps, handler: Handler) {
  return async function apiHandler(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      await handler(deps, req, res);
    } catch (error) {
      if (error instanceof ApiError && !res.headersSent) sendApiError(res, error);
      else next(error);
    }
  };
}

/** Symfony answers a known path with another method with 405 (framework shape, generic message). */
function methodNotAllowed(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Allow', 'POST');
  next(new StandinError('STANDIN_ERR_METHOD_NOT_ALLOWED', { method: req.method, uri: req.originalUrl }));
}

const PATHS = {
  reply: '/api/emails/reply/:trackingHash',
  segment: '/api/emails/:id/send',
  contact: '/api/emails/:id/contact/:contactId/send',
} as const;

/**
 * The stand-in's sending API (docs/mautic/public-http.md §5.1–5.7): `POST
 * /api/emails/{id}/send`, `POST /api/emails/{id}/contact/{contactId}/send` and
 * `POST /api/emails/reply/{trackingHash}`, with Basic and OAuth2
 * authentication, Mautic's error JSON, and the synchronous send pipeline.
 * Mount after the stand-in's `apiGate` and before its error handler; other
 * `/api` paths fall through to the next router.
 *
 * @example
 * app.use(sendingRouter(deps));
 */
export function sendingRouter(deps: StandinDeps): express.Router {
  const router = express.Router();
  router.post(PATHS.reply, handle(deps, replyToStat));
  router.post(PATHS.segment, handle(deps, sendToSegments));
  router.post(PATHS.contact, handle(deps, sendToContact));
  for (const path of Object.values(PATHS)) router.all(path, methodNotAllowed);
  return router;
}
