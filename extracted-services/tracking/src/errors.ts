/**
 * The tracking service's one error registry. Handlers throw `TrackingError`; the one
 * error answer (routes/error-answer.ts) renders it the way Mautic does (HTML, or JSON
 * for `Accept: application/json`, docs/mautic/public-http.md §2.7) with
 * `X-Tracking-Error: <code>`. Every code is listed in docs/errors.md.
 */

/** One registered error: HTTP status, whether Mautic shows the message, the message template. */
export interface TrackingErrorSpec {
  status: number;
  /** Mautic shows the real message only for not-found and access-denied errors (§2.7). */
  public: boolean;
  message: string;
}

export const TRACKING_ERRORS = {
  /** §3.5: unknown or unpublished redirect, or a Location that is not a valid URL. */
  TRK_ERR_NOT_FOUND: { status: 404, public: true, message: 'Requested URL not found: {uri}' },
  /** §1.2: Apache's LimitRequestLine (8190 bytes) answers before PHP runs. */
  TRK_ERR_URI_TOO_LONG: { status: 414, public: true, message: 'The requested URL\'s length exceeds the capacity limit for this server.' },
  /** §3.2: a `ct` that decodes to a non-array is not caught by Mautic's pixel controller. */
  TRK_ERR_CT_NOT_ARRAY: { status: 500, public: false, message: 'The clickthrough is not a serialized array: {detail}' },
  /** §2.5 step 5: a serialized object in `ct`. */
  TRK_ERR_CT_OBJECT: { status: 500, public: false, message: 'The clickthrough contains a serialized object.' },
  /** The database failed; Mautic answers its error page (the hit is not kept). */
  TRK_ERR_DATABASE: { status: 500, public: false, message: 'The database failed: {detail}' },
  /** docs/architecture.md §5: a dry run that met a lock or ran out of time gave up rather than wait. */
  TRK_ERR_DRY_RUN_GAVE_UP: { status: 503, public: true, message: 'The dry run gave up: {reason}' },
  TRK_ERR_INTERNAL: { status: 500, public: false, message: 'Unexpected error: {detail}' },
} as const satisfies Record<string, TrackingErrorSpec>;

/** One of the registered codes. */
export type TrackingErrorCode = keyof typeof TRACKING_ERRORS;

/** A coded tracking failure; `params` fill the message template. */
export class TrackingError extends Error {
  readonly code: TrackingErrorCode;
  readonly status: number;
  readonly public: boolean;

  constructor(code: TrackingErrorCode, params: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    const spec: TrackingErrorSpec = TRACKING_ERRORS[code];
    super(spec.message.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)), options);
    this.name = 'TrackingError';
    this.code = code;
    this.status = spec.status;
    this.public = spec.public;
  }
}
