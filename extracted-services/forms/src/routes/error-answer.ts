/**
 * The one place a failure becomes an answer: Mautic's error page (HTML, or JSON for
 * `Accept: application/json`, docs/mautic/public-http.md §2.7) with `X-Forms-Error: <code>`.
 */
import { STATUS_CODES } from 'node:http';
import { errorPage, genericErrorMessage } from '../../../../legacy-adapter/src/codecs/symfony-pages.ts';
import { isDbError } from '../../../../legacy-adapter/src/db/errors.ts';
import { bodyAnswer, jsonAnswer } from '../../../service-kit/answer.ts';
import type { Answer } from '../../../service-kit/answer.ts';
import { FormsError } from '../errors.ts';

/** Header naming the error code of an error answer. */
export const FORMS_ERROR_HEADER = 'X-Forms-Error';

/** Turns anything thrown into a FormsError; in a dry run a lock timeout is giving up (§5). */
export function toFormsError(err: unknown, dryRun: boolean): FormsError {
  if (err instanceof FormsError) return err;
  if (dryRun && isDbError(err, 'DB_LOCK_TIMEOUT')) return new FormsError('FORMS_ERR_DRY_RUN_GAVE_UP', { reason: 'lock-timeout' }, { cause: err });
  if (isDbError(err)) return new FormsError('FORMS_ERR_DATABASE', { detail: err.code }, { cause: err });
  return new FormsError('FORMS_ERR_INTERNAL', { detail: err instanceof Error ? err.message : String(err) }, { cause: err });
}

/** Mautic's answer for `error`. */
export function errorAnswer(error: FormsError, acceptHeader: string): Answer {
  const message = error.public ? error.message : genericErrorMessage(error.status);
  const answer = acceptHeader.includes('application/json')
    ? jsonAnswer({ errors: [{ message, code: error.status, type: null }] })
    : bodyAnswer(0, 'text/html; charset=UTF-8', errorPage(`${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`, message));
  answer.status = error.status;
  answer.headers[FORMS_ERROR_HEADER] = error.code;
  return answer;
}
