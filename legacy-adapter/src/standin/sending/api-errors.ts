import type { Response } from 'express';
import { controllerErrorBody } from '../../codecs/mautic-api.ts';
import { sendJson } from '../responses.ts';

/**
 * Controller-level errors of Mautic's REST API (`FetchCommonApiController::returnError`,
 * docs/mautic/public-http.md §5.1): `{"errors":[{"code","message","details":[],"type":null}]}`
 * with the HTTP status equal to `code`. They are responses the controller
 * returns, not exceptions, so they are rendered here; framework and firewall
 * failures (401, malformed body, 405…) are `StandinError`s for the stand-in's
 * one error handler, which writes the other shape (`message, code, type`).
 */

export { API_MESSAGES } from '../../codecs/mautic-api.ts';

/** A controller answer with an error. */
export class ApiError extends Error {
  readonly status: number;

  /**
   * @param status - HTTP status, also the `code` in the body
   * @param message - one of `API_MESSAGES`
   */
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Body of a controller error. */
export function apiErrorBody(error: ApiError): Record<string, unknown> {
  return controllerErrorBody(error.status, error.message);
}

/** Writes a controller error as Mautic's JsonResponse. */
export function sendApiError(res: Response, error: ApiError): void {
  sendJson(res, error.status, apiErrorBody(error));
}
