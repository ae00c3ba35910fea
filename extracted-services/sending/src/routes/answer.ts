/**
 * The service's answers, written as Mautic's JsonResponse (docs/mautic/public-http.md §2.7):
 * `Content-Type: application/json` exactly, Symfony's escape flags, and
 * `Cache-Control: no-cache, private`, Symfony's default for a response that sets none (§3.1
 * notes it). The one place a failure becomes an answer: a `SendingError` in its shape (§5.1), with `X-Sending-Error: <code>`;
 * a database failure is Mautic's 500; anything else a logged 500.
 */
import type { Response } from 'express';
import { frameworkErrorBody, controllerErrorBody } from '../../../../legacy-adapter/src/codecs/mautic-api.ts';
import { phpJsonEncode } from '../../../../legacy-adapter/src/codecs/php-json.ts';
import { genericErrorMessage } from '../../../../legacy-adapter/src/codecs/symfony-pages.ts';
import { isDbError } from '../../../../legacy-adapter/src/db/errors.ts';
import { SYMFONY_CACHE_CONTROL } from '../../../service-kit/answer.ts';
import { SendingError } from '../errors.ts';

/** Header naming the error code of an error answer. */
export const SENDING_ERROR_HEADER = 'X-Sending-Error';

/** A status and a JSON body. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** Writes a JSON answer. */
export function writeJson(res: Response, answer: ApiAnswer): void {
  const bytes = Buffer.from(phpJsonEncode(answer.body), 'utf8');
  res.status(answer.status);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', SYMFONY_CACHE_CONTROL);
  res.setHeader('Content-Length', String(bytes.length));
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

/** Turns anything thrown into a SendingError. */
export function toSendingError(err: unknown): SendingError {
  if (err instanceof SendingError) return err;
  if (isDbError(err)) return new SendingError('SND_ERR_DATABASE', { detail: err.code }, { cause: err });
  return new SendingError('SND_ERR_INTERNAL', { detail: err instanceof Error ? err.message : String(err) }, { cause: err });
}

/** Writes the answer Mautic gives for `error`. */
export function writeError(res: Response, error: SendingError): void {
  const { spec } = error;
  const message = spec.public ? error.message : genericErrorMessage(spec.status);
  const body = spec.shape === 'controller' ? controllerErrorBody(spec.status, message) : frameworkErrorBody(spec.status, message, spec.type);
  res.setHeader(SENDING_ERROR_HEADER, error.code);
  writeJson(res, { status: spec.status, body });
}
