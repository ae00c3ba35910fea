/**
 * The one error registry of the gateway (docs/style.md §4). Every error the gateway
 * answers, logs or counts has a `GW_ERR_<AREA>_<WHAT>` code here, a status and a
 * message template; docs/errors.md lists the same codes (errors.test.ts keeps the
 * two in sync). Code throws `GatewayError`; exactly one error handler turns it
 * into a response with `renderError` / `sendError`.
 *
 * To add a code: add one entry to `ERRORS` and one row to docs/errors.md.
 */
import type { ServerResponse } from 'node:http';

/** One registry entry. */
export interface ErrorSpec {
  /** HTTP status answered (or, for `logOnly` entries, recorded in logs and metrics). */
  readonly status: number;
  /** Message template; `{name}` is replaced by `params.name`. */
  readonly message: string;
  /** True when the code is never answered to a client, only logged and counted. */
  readonly logOnly?: boolean;
}

/** Every gateway error code. Keep one entry per line group; add codes with small edits. */
export const ERRORS = {
  GW_ERR_UPSTREAM_CONNECT: { status: 502, message: 'Could not connect to upstream {upstream}' },
  GW_ERR_UPSTREAM_HEADERS_TIMEOUT: { status: 504, message: 'Upstream {upstream} sent no response headers within {timeoutMs} ms' },
  GW_ERR_UPSTREAM_TOTAL_TIMEOUT: { status: 504, message: 'Upstream {upstream} did not finish the exchange within {timeoutMs} ms' },
  GW_ERR_UPSTREAM_RESET: { status: 502, message: 'Upstream {upstream} closed the connection before the response was complete' },
  GW_ERR_UPSTREAM_INVALID_RESPONSE: { status: 502, message: 'Upstream {upstream} sent an invalid HTTP response' },
  GW_ERR_CLIENT_ABORTED: { status: 499, message: 'The client went away before the exchange with {upstream} finished', logOnly: true },
  GW_ERR_REQUEST_BAD: { status: 400, message: 'Bad request: {detail}' },
  GW_ERR_REQUEST_SMUGGLING: { status: 400, message: 'Ambiguous request framing refused: {detail}' },
  GW_ERR_REQUEST_HEADERS_TOO_LARGE: { status: 431, message: 'Request header fields are too large' },
  GW_ERR_REQUEST_URI_TOO_LONG: { status: 414, message: 'Request-target is longer than {limitBytes} bytes' },
  GW_ERR_UPSTREAM_QUEUE_FULL: { status: 503, message: 'Upstream {upstream} has every connection busy and its queue full' },
  GW_ERR_ROUTE_CONCURRENCY_LIMIT: { status: 503, message: 'Route {routeId} has {limit} requests in flight, its limit' },
  GW_ERR_ADMIN_BODY_TOO_LARGE: { status: 413, message: 'The admin request body is larger than {limit}' },
  GW_ERR_TENANT_UNKNOWN_HOST: { status: 421, message: 'No tenant is configured for host {host}' },
  GW_ERR_CONFIG_INVALID: { status: 500, message: 'Configuration is invalid: {detail}' },
  GW_ERR_ADMIN_UNAUTHORIZED: { status: 401, message: 'A valid admin token is required' },
  GW_ERR_ADMIN_BAD_REQUEST: { status: 400, message: 'Bad admin request: {detail}' },
  GW_ERR_ADMIN_UNKNOWN_ROUTE: { status: 404, message: 'No route with id {routeId} in the catalogue' },
  GW_ERR_ADMIN_UNKNOWN_MODE: { status: 400, message: 'mode must be one of legacy, shadow, canary, extracted; got {mode}' },
  GW_ERR_ADMIN_BAD_PERCENT: { status: 400, message: 'canary needs percent between 0 and 100 with at most two decimals; got {percent}' },
  GW_ERR_ADMIN_PERCENT_NOT_CANARY: { status: 400, message: 'percent is only allowed with mode canary, not {mode}' },
  GW_ERR_ADMIN_ROUTE_LEGACY_ONLY: { status: 400, message: 'Route {routeId} is legacy-only (no new upstream): only mode legacy is allowed, not {mode}' },
  GW_ERR_ADMIN_UNKNOWN_TENANT: { status: 404, message: 'Unknown tenant {tenant}; configured tenants: {tenants}' },
  GW_ERR_ADMIN_FLAG_NOT_FOUND: { status: 404, message: 'No flag for route {routeId} and tenant {tenant}' },
  GW_ERR_ADMIN_DIFF_NOT_FOUND: { status: 404, message: 'No diff {id} of route {routeId} in the diff store (it may have been evicted)' },
  GW_ERR_ADMIN_NOT_FOUND: { status: 404, message: 'No admin endpoint {method} {path}' },
  GW_ERR_ADMIN_TRACE_NOT_FOUND: { status: 404, message: 'No trace {traceId} in memory: it was not kept (sampling) or is older than the last {keep} traces' },
  GW_ERR_ADMIN_TRACES_EXPORTED: { status: 409, message: 'Traces are exported to {endpoint}, not kept in memory: read them in Jaeger' },
  GW_ERR_ADMIN_FORBIDDEN: { status: 403, message: 'Token {who} has role viewer: changing modes needs an operator token' },
  GW_ERR_ADMIN_VERSION_CONFLICT: { status: 409, message: 'Route {routeId} ({scope}) is at revision {current}, not {expected}: another change landed first; re-read it and retry' },
  GW_ERR_ADMIN_NOTHING_TO_ROLL_BACK: { status: 409, message: 'Route {routeId} ({scope}) was never changed: there is no previous mode to roll back to' },
  GW_ERR_ADMIN_ROUTE_NOT_SERVED: { status: 412, message: 'Mode {mode} on route {routeId} would send it to the {upstream} service, which does not serve it yet (routes/: served is not set); it stays on legacy' },
  GW_ERR_ADMIN_SERVICE_NOT_CONFIGURED: { status: 412, message: 'Mode {mode} on route {routeId} needs the {upstream} service, which is not configured for tenant(s) {tenants}' },
  GW_ERR_FLAGS_STORE_UNAVAILABLE: { status: 503, message: 'The flag store (Redis) cannot be reached ({detail}); retry when it is back' },
  GW_ERR_FLAGS_BAD_STORED_VALUE: { status: 500, message: 'Flag store entry {field} holds an invalid value and was skipped: {detail}', logOnly: true },
  GW_ERR_REQUEST_TIMEOUT: { status: 408, message: 'The client did not send the whole request in time' },
  GW_ERR_DIFF_STORE_UNAVAILABLE: { status: 503, message: 'The diff store is unavailable: {detail}' },
  GW_ERR_DIFF_RECORD_INVALID: { status: 500, message: 'Diff record {id} of route {routeId} is invalid and was skipped: {detail}', logOnly: true },
  GW_ERR_INTERNAL_UNEXPECTED: { status: 500, message: 'Unexpected gateway error; see the log line of request {requestId}' },
} as const satisfies Record<string, ErrorSpec>;

/** A registered error code. */
export type ErrorCode = keyof typeof ERRORS;

/** Values substituted into a message template. */
export type ErrorParams = Readonly<Record<string, string | number>>;

/** Header that carries the error code on every error response. */
export const ERROR_HEADER = 'x-strangler-error';

/**
 * Fills `{name}` placeholders from params; unknown placeholders stay as written
 * so a missing parameter is visible rather than silently blank.
 */
export function formatMessage(template: string, params: ErrorParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole);
}

/** Options of a GatewayError beyond its code. */
export interface GatewayErrorOptions {
  /** Template values. */
  readonly params?: ErrorParams;
  /** Machine-readable extras for logs (never sent to the client). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * An error with a registry code and the status the client gets.
 *
 * @example
 * throw new GatewayError('GW_ERR_TENANT_UNKNOWN_HOST', { params: { host } });
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const spec: ErrorSpec = ERRORS[code];
    super(formatMessage(spec.message, options.params), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = spec.status;
    this.details = options.details;
  }
}

/** True for a GatewayError (also across module copies, by shape). */
export function isGatewayError(value: unknown): value is GatewayError {
  if (value instanceof GatewayError) return true;
  if (!(value instanceof Error)) return false;
  const { code, status } = value as Error & { code?: unknown; status?: unknown };
  return typeof code === 'string' && Object.hasOwn(ERRORS, code) && typeof status === 'number';
}

/** An error response, ready to write. */
export interface RenderedError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** UTF-8 JSON `{ "error": { "code", "message" } }`. */
  readonly body: Buffer;
}

/** Renders a GatewayError as the JSON body and headers every error response uses. */
export function renderError(err: GatewayError): RenderedError {
  const body = Buffer.from(JSON.stringify({ error: { code: err.code, message: err.message } }));
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    'cache-control': 'no-store',
    [ERROR_HEADER]: err.code,
  };
  return { status: err.status, headers, body };
}

/**
 * Writes a GatewayError to a response that has not started yet. When headers are
 * already out (the error came mid-body) the only honest signal left is to destroy
 * the response, so the client sees a truncated message instead of a wrong one.
 */
export function sendError(res: ServerResponse, err: GatewayError): void {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const rendered = renderError(err);
  res.writeHead(rendered.status, rendered.headers);
  res.end(rendered.body);
}
