/**
 * The forms service's one error registry. Handlers throw `FormsError`; the one error answer
 * (routes/error-answer.ts) renders it the way Mautic does (HTML, or JSON for
 * `Accept: application/json`, docs/mautic/public-http.md §2.7) with `X-Forms-Error: <code>`.
 * Every code is listed in docs/errors.md.
 */

/** One registered error: HTTP status, whether Mautic shows the message, the message template. */
export interface FormsErrorSpec {
  status: number;
  /** Mautic shows the real message only for not-found and access-denied errors (§2.7). */
  public: boolean;
  message: string;
}

export const FORMS_ERRORS = {
  /** §4.2: any method but POST on the submit routes. */
  FORMS_ERR_ACCESS_DENIED: { status: 403, public: true, message: 'Unauthorized access to requested URL: {uri}' },
  /** A path the service does not serve. */
  FORMS_ERR_NOT_FOUND: { status: 404, public: true, message: 'Requested URL not found: {uri}' },
  /** The database failed; the submission was rolled back, nothing is stored. */
  FORMS_ERR_DATABASE: { status: 500, public: false, message: 'The database failed: {detail}' },
  /** An upload could not be stored; the submission was rolled back. */
  FORMS_ERR_UPLOAD_STORE: { status: 500, public: false, message: 'The uploaded file could not be stored: {detail}' },
  /** docs/architecture.md §5: a dry run that met a lock or ran out of time gave up rather than wait. */
  FORMS_ERR_DRY_RUN_GAVE_UP: { status: 503, public: true, message: 'The dry run gave up: {reason}' },
  FORMS_ERR_INTERNAL: { status: 500, public: false, message: 'Unexpected error: {detail}' },
} as const satisfies Record<string, FormsErrorSpec>;

/** One of the registered codes. */
export type FormsErrorCode = keyof typeof FORMS_ERRORS;

/** A coded forms failure; `params` fill the message template. */
export class FormsError extends Error {
  readonly code: FormsErrorCode;
  readonly status: number;
  readonly public: boolean;

  constructor(code: FormsErrorCode, params: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    const spec: FormsErrorSpec = FORMS_ERRORS[code];
    super(spec.message.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)), options);
    this.name = 'FormsError';
    this.code = code;
    this.status = spec.status;
    this.public = spec.public;
  }
}
