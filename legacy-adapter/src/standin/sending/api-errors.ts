import type { Response } from 'express';

/**
 * The JSON error bodies of Mautic's REST API (mautic-public-http.md §5.1, §2.7).
 * Two shapes exist and clients can tell them apart:
 * - controller errors (`returnError`): `{"errors":[{"code","message","details":[],"type":null}]}`;
 * - framework and security errors: `{"errors":[{"message","code","type"}]}` without `details`.
 */

/** Controller-level messages (§5.1 table). */
export const API_MESSAGES = {
  notFound: 'Item was not found.',
  contactNotFound: 'Contact not found.',
  forbidden: 'You do not have access to the requested area/action.',
  badRequest: 'This is a bad request.',
  apiDisabled: "API disabled. You need to enable the API in the API settings of Mautic's Configuration.",
  basicDisabled: "Basic Auth disabled. You need to enable HTTP basic auth in the API settings of Mautic's Configuration.",
  basicDenied: 'Authorization denied, invalid credentials.',
  apiDenied: 'API authorization denied.',
  tokenInvalid: 'The access token provided is invalid.',
  tokenExpired: 'The access token provided has expired.',
  statNotFound: (hash: string) => `Email Stat with tracking hash ${hash} was not found`,
  urlNotFound: (uri: string) => `Requested URL not found: ${uri}`,
  /** §2.7: the text of exceptions other than not-found / access-denied / unexpected-value. */
  generic: (status: number) =>
    `Looks like I encountered an error (error #${status}). If I do it again, please report me to the system administrator!`,
} as const;

/** A thrown API failure, rendered by `sendApiError`. */
export class ApiError extends Error {
  readonly status: number;
  /** `type` of the framework shape; undefined selects the controller shape. */
  readonly type: string | null | undefined;

  /**
   * @param status - HTTP status, also the `code` in the body
   * @param message - the user-visible message
   * @param type - framework shape with this `type` (null allowed); omit for the controller shape
   */
  constructor(status: number, message: string, type?: string | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
  }
}

/** Body of an API error, in the shape its kind uses. */
export function apiErrorBody(error: ApiError): Record<string, unknown> {
  if (error.type === undefined) {
    return { errors: [{ code: error.status, message: error.message, details: [], type: null }] };
  }
  return { errors: [{ message: error.message, code: error.status, type: error.type }] };
}

/** Writes an `ApiError`; any other error becomes the generic framework 500 (§2.7) and never leaks a stack. */
export function sendApiError(res: Response, error: unknown): void {
  const apiError = error instanceof ApiError ? error : new ApiError(500, API_MESSAGES.generic(500), null);
  res.status(apiError.status).type('application/json').send(JSON.stringify(apiErrorBody(apiError)));
}
