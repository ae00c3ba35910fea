/**
 * The one place a failure becomes an answer: Mautic's error page (HTML, or JSON for
 * `Accept: application/json`, docs/mautic/public-http.md §2.7) with
 * `X-Tracking-Error: <code>`. Database failures are Mautic's 500 (the hit is not kept);
 * anything unknown is a 500 that is logged.
 */
import { STATUS_CODES } from 'node:http';
import { errorPage, genericErrorMessage } from '../../../../legacy-adapter/src/codecs/symfony-pages.ts';
import { isDbError } from '../../../../legacy-adapter/src/db/errors.ts';
import { TrackingError } from '../errors.ts';
import { bodyAnswer, jsonAnswer } from '../../../service-kit/answer.ts';
import type { Answer } from '../../../service-kit/answer.ts';

/** Header naming the error code of an error answer. */
export const TRACKING_ERROR_HEADER = 'X-Tracking-Error';

/** Turns anything thrown into a TrackingError. */
export function toTrackingError(err: unknown): TrackingError {
  if (err instanceof TrackingError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (isDbError(err)) return new TrackingError('TRK_ERR_DATABASE', { detail: err.code }, { cause: err });
  return new TrackingError('TRK_ERR_INTERNAL', { detail }, { cause: err });
}

/** Mautic's answer for `error`. */
export function errorAnswer(error: TrackingError, acceptHeader: string): Answer {
  const message = error.public ? error.message : genericErrorMessage(error.status);
  let answer: Answer;
  if (acceptHeader.includes('application/json')) {
    answer = jsonAnswer({ errors: [{ message, code: error.status, type: null }] });
  } else {
    answer = bodyAnswer(0, 'text/html; charset=UTF-8', errorPage(`${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`, message));
  }
  answer.status = error.status;
  answer.headers[TRACKING_ERROR_HEADER] = error.code;
  return answer;
}
