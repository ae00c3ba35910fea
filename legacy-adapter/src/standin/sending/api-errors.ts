import type { Response } from 'express';
import { sendJson } from '../responses.ts';

/**
 * Controller-level errors of Mautic's REST API (`FetchCommonApiController::returnError`,
 * docs/mautic/public-http.md §5.1): `{"errors":[{"code","message","details":[],"type":null}]}`
 * with the HTTP status equal to `code`. They are responses the controller
 * returns, not exceptions, so they are rendered here; framework and firewall
 * failures (401, malformed body, 405…) are `StandinError`s for the stand-in's
 * one error handler, which writes the other shape (`message, code, type`).
 */

/** Controller messages (§5.1 table, §5.4). */
export const API_MESSAGES = {
  notFound: 'Item was not found.',
  contactNotFound: 'Contact not found.',
  forbidden: 'You do not have access to the requested area/action.',
  badRequest: 'This is a bad request.',
  statNotFound: (hash: string) => `Email Stat with tracking hash ${hash} was not found`,
} as const;

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
  return { errors: [{ code: error.status, message: error.message, details: [], type: null }] };
}

/** Writes a controller error as Mautic's JsonResponse. */
export function sendApiError(res: Response, error: ApiError): void {
  sendJson(res, error.status, apiErrorBody(error));
}
