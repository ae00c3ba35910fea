/**
 * The sending service's one error registry. Handlers throw `SendingError`; the one error
 * answer (routes/answer.ts) writes Mautic's JSON for it (docs/mautic/public-http.md §5.1):
 * the framework shape `{"errors":[{"message","code","type"}]}` for gates, firewall and body
 * failures, the controller shape `{"errors":[{"code","message","details":[],"type":null}]}`
 * for what the send controllers answer, with `X-Sending-Error: <code>`. Every code is
 * listed in docs/errors.md.
 */

/** One registered error. */
export interface SendingErrorSpec {
  status: number;
  /** `framework` (ApiSubscriber, firewall, body listener, router) or `controller` (`returnError`). */
  shape: 'framework' | 'controller';
  /** `type` of a framework body. */
  type: string | null;
  /** Mautic shows the real message; otherwise the generic one for the status (§2.7). */
  public: boolean;
  message: string;
}

export const SENDING_ERRORS = {
  /** §5.1: `api_enabled` is false. */
  SND_ERR_API_DISABLED: { status: 403, shape: 'framework', type: 'api_disabled', public: true, message: "API disabled. You need to enable the API in the API settings of Mautic's Configuration." },
  /** §5.1: Basic credentials while `api_enable_basic_auth` is false. */
  SND_ERR_BASIC_AUTH_DISABLED: { status: 403, shape: 'framework', type: 'access_denied', public: true, message: "Basic Auth disabled. You need to enable HTTP basic auth in the API settings of Mautic's Configuration." },
  /** §5.1: no credentials (the stand-in's inferred body). */
  SND_ERR_UNAUTHORIZED: { status: 401, shape: 'framework', type: 'access_denied', public: true, message: 'API authorization denied.' },
  /** §5.1: Basic credentials that match no published user. */
  SND_ERR_BAD_CREDENTIALS: { status: 401, shape: 'framework', type: 'access_denied', public: true, message: 'Authorization denied, invalid credentials.' },
  /** §5.1: an unknown OAuth2 access token. */
  SND_ERR_TOKEN_INVALID: { status: 401, shape: 'framework', type: 'invalid_grant', public: true, message: 'The access token provided is invalid.' },
  /** §5.1: an OAuth2 access token past `expires_at`. */
  SND_ERR_TOKEN_EXPIRED: { status: 401, shape: 'framework', type: 'invalid_grant', public: true, message: 'The access token provided has expired.' },
  /** §5.1: a body the body listener cannot read (malformed JSON, a JSON scalar). */
  SND_ERR_BODY_MALFORMED: { status: 400, shape: 'framework', type: null, public: true, message: 'This is a bad request.' },
  /** A body over `maxBodyBytes` (PHP's post_max_size). */
  SND_ERR_BODY_TOO_LARGE: { status: 413, shape: 'framework', type: null, public: true, message: 'The request body is larger than {limit}.' },
  /** A send path called with another method than POST (Symfony's 405). */
  SND_ERR_METHOD_NOT_ALLOWED: { status: 405, shape: 'framework', type: null, public: false, message: 'No route for {method} {uri}: Method Not Allowed' },
  /** A path this service does not serve. */
  SND_ERR_ROUTE_NOT_FOUND: { status: 404, shape: 'framework', type: null, public: true, message: 'Requested URL not found: {uri}' },
  /** §5.2 step 1, §5.3 step 1: unknown (or, for a segment send, unpublished) email. */
  SND_ERR_EMAIL_NOT_FOUND: { status: 404, shape: 'controller', type: null, public: true, message: 'Item was not found.' },
  /** §5.3 step 3: unknown contact. */
  SND_ERR_CONTACT_NOT_FOUND: { status: 404, shape: 'controller', type: null, public: true, message: 'Contact not found.' },
  /** §5.4: no stat has the tracking hash of a reply. */
  SND_ERR_STAT_NOT_FOUND: { status: 404, shape: 'controller', type: null, public: true, message: 'Email Stat with tracking hash {hash} was not found' },
  /** §5.2 step 2, §5.3 steps 2 and 4: the role lacks the permission. */
  SND_ERR_FORBIDDEN: { status: 403, shape: 'controller', type: null, public: true, message: 'You do not have access to the requested area/action.' },
  /** §5.2, §5.3: a malformed `tokens`, `lists`, `limit` or `batch`. */
  SND_ERR_BAD_PARAMETER: { status: 400, shape: 'controller', type: null, public: true, message: 'This is a bad request.' },
  /** The database failed; nothing of the request is kept. */
  SND_ERR_DATABASE: { status: 500, shape: 'framework', type: null, public: false, message: 'The database failed: {detail}' },
  /** docs/architecture.md §5: a dry run that met a lock gave up rather than wait. */
  SND_ERR_DRY_RUN_GAVE_UP: { status: 503, shape: 'framework', type: null, public: true, message: 'The dry run gave up: {reason}' },
  SND_ERR_INTERNAL: { status: 500, shape: 'framework', type: null, public: false, message: 'Unexpected error: {detail}' },
} as const satisfies Record<string, SendingErrorSpec>;

/** One of the registered codes. */
export type SendingErrorCode = keyof typeof SENDING_ERRORS;

/** A coded sending failure; `params` fill the message template. */
export class SendingError extends Error {
  readonly code: SendingErrorCode;
  readonly spec: SendingErrorSpec;

  constructor(code: SendingErrorCode, params: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    const spec: SendingErrorSpec = SENDING_ERRORS[code];
    super(spec.message.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)), options);
    this.name = 'SendingError';
    this.code = code;
    this.spec = spec;
  }
}
