/**
 * The stand-in's one error handler: every thrown error becomes the page or
 * JSON body Mautic renders (ExceptionController, docs/mautic/public-http.md §2.7),
 * with `X-Standin-Error: <code>` so tests and logs see which rule fired.
 * Body-parser failures become 400/413 and undecodable paths 404, never 500s.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { StandinError, genericErrorMessage, notFound } from './errors.ts';
import { errorPage } from '../codecs/symfony-pages.ts';
import { sendHtml, sendJson } from './responses.ts';

/** Header that names the stand-in error code of an error response. */
export const STANDIN_ERROR_HEADER = 'X-Standin-Error';

/**
 * Mautic's RequestHelper::isApiRequest: the raw request URI, query included,
 * contains `/api` or `/oauth` (§1.5).
 */
export function isApiRequest(req: Request): boolean {
  return req.originalUrl.includes('/api') || req.originalUrl.includes('/oauth');
}

/** JSON is rendered for API/OAuth URLs and clients that accept application/json (§2.7). */
export function wantsJson(req: Request): boolean {
  return isApiRequest(req) || (req.get('accept') ?? '').includes('application/json');
}

/** Turns anything thrown into a StandinError. */
export function toStandinError(err: unknown, limitBytes?: number): StandinError {
  if (err instanceof StandinError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.too.large') return new StandinError('STANDIN_ERR_BODY_TOO_LARGE', { limit: `${limitBytes ?? 'the limit'} bytes` }, { cause: err });
  if (err instanceof URIError || (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)) {
    return new StandinError('STANDIN_ERR_BAD_REQUEST', {}, { cause: err });
  }
  return new StandinError('STANDIN_ERR_INTERNAL', { detail: e?.message ?? String(err) }, { cause: err });
}

/** Writes the response Mautic gives for `error`. */
export function renderError(req: Request, res: Response, error: StandinError): void {
  const message = error.public ? error.message : genericErrorMessage(error.status);
  res.setHeader(STANDIN_ERROR_HEADER, error.code);
  if (wantsJson(req)) {
    sendJson(res, error.status, { errors: [{ message, code: error.status, type: error.type }] });
    return;
  }
  const title = `${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`;
  sendHtml(res, error.status, errorPage(title, message));
}

/**
 * Express error middleware built from the above.
 *
 * @param log called for status ≥ 500, the only ones worth an error line.
 */
export function standinErrorHandler(log: (err: unknown, req: Request) => void = () => {}): ErrorRequestHandler {
  return function handleStandinError(err, req, res, next) {
    if (res.headersSent) {
      next(err);
      return;
    }
    // Symfony rawurldecodes paths without failing: a bad %-sequence just matches no route.
    const error = err instanceof URIError ? notFound(req.originalUrl) : toStandinError(err);
    if (error.status >= 500) log(err, req);
    renderError(req, res, error);
  };
}
