/**
 * The one error registry of the stand-in monolith. Handlers throw
 * `StandinError`; the single error handler (error-handler.ts) turns it into
 * the response Mautic would give (HTML, or JSON for API/OAuth URLs and JSON
 * clients, docs/mautic/public-http.md §2.7, §5.1) plus an `X-Standin-Error` header
 * carrying the code. Append new codes here; keep the messages Mautic's.
 */

/** One registered error: HTTP status, Mautic's `type` in JSON bodies, message template (`{name}` placeholders). */
export interface StandinErrorSpec {
  status: number;
  /** `type` of the JSON error body; null for framework errors (§2.7). */
  type: string | null;
  message: string;
  /** Whether Mautic shows this message to clients; otherwise they get the generic one (§2.7). */
  public: boolean;
}

export const STANDIN_ERRORS = {
  STANDIN_ERR_NOT_FOUND: { status: 404, type: null, public: true, message: 'Requested URL not found: {uri}' },
  STANDIN_ERR_ACCESS_DENIED: { status: 403, type: null, public: true, message: 'Unauthorized access to requested URL: {uri}' },
  STANDIN_ERR_API_DISABLED: {
    status: 403, type: 'api_disabled', public: true,
    message: "API disabled. You need to enable the API in the API settings of Mautic's Configuration.",
  },
  STANDIN_ERR_API_BASIC_AUTH_DISABLED: {
    status: 403, type: 'access_denied', public: true,
    message: "Basic Auth disabled. You need to enable HTTP basic auth in the API settings of Mautic's Configuration.",
  },
  STANDIN_ERR_API_UNAUTHORIZED: { status: 401, type: 'access_denied', public: true, message: 'API authorization denied.' },
  /** §1.2: Apache's LimitRequestLine (8190 bytes) answers before PHP runs. */
  STANDIN_ERR_URI_TOO_LONG: { status: 414, type: null, public: true, message: 'The requested URL\'s length exceeds the capacity limit for this server.' },
  STANDIN_ERR_BAD_REQUEST: { status: 400, type: null, public: true, message: 'This is a bad request.' },
  STANDIN_ERR_BODY_TOO_LARGE: { status: 413, type: null, public: true, message: 'The request body is larger than {limit}.' },
  /** §3.2: a non-array `ct` on the pixel is not caught by Mautic's controller (inferred 500). */
  STANDIN_ERR_CT_NOT_ARRAY: { status: 500, type: null, public: false, message: 'The clickthrough is not a serialized array: {detail}' },
  /** §2.5 step 5: Mautic's InvalidArgumentException for a serialized object in `ct`, uncaught by the pixel and /mtc/event. */
  STANDIN_ERR_CT_OBJECT: { status: 500, type: null, public: false, message: 'The clickthrough contains a serialized object.' },
  STANDIN_ERR_INTERNAL: { status: 500, type: null, public: false, message: 'Unexpected error: {detail}' },
  /** §5.1: Basic credentials that match no published user (the response listener's wording for Basic auth). */
  STANDIN_ERR_API_BAD_CREDENTIALS: { status: 401, type: 'access_denied', public: true, message: 'Authorization denied, invalid credentials.' },
  /** §5.1: an unknown OAuth2 access token (Oauth2Test). */
  STANDIN_ERR_API_TOKEN_INVALID: { status: 401, type: 'invalid_grant', public: true, message: 'The access token provided is invalid.' },
  /** §5.1: an OAuth2 access token past `expires_at` (FOSOAuthServer's wording). */
  STANDIN_ERR_API_TOKEN_EXPIRED: { status: 401, type: 'invalid_grant', public: true, message: 'The access token provided has expired.' },
  /** A known path called with a method its route does not allow (Symfony's MethodNotAllowedHttpException). */
  STANDIN_ERR_METHOD_NOT_ALLOWED: { status: 405, type: null, public: false, message: 'No route for {method} {uri}: Method Not Allowed' },
} as const satisfies Record<string, StandinErrorSpec>;

/** One of the registered codes. */
export type StandinErrorCode = keyof typeof STANDIN_ERRORS;

export { genericErrorMessage } from '../codecs/symfony-pages.ts';

/** A coded stand-in failure; `params` fill the message template. */
export class StandinError extends Error {
  readonly code: StandinErrorCode;
  readonly status: number;
  readonly type: string | null;
  readonly public: boolean;

  constructor(code: StandinErrorCode, params: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    const spec: StandinErrorSpec = STANDIN_ERRORS[code];
    super(spec.message.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)), options);
    this.name = 'StandinError';
    this.code = code;
    this.status = spec.status;
    this.type = spec.type;
    this.public = spec.public;
  }
}

/** Shorthand for the 404 Mautic throws for an unknown URL. */
export function notFound(uri: string): StandinError {
  return new StandinError('STANDIN_ERR_NOT_FOUND', { uri });
}
