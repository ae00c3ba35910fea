/**
 * Upstream failures classified by side (docs/style.md §4, YARP ForwarderError) and by
 * whether the request may have reached the upstream. The dispatch stage decides
 * fallback from `delivered` (docs/architecture.md §4), the breaker counts only upstream-side
 * failures (breaker.ts).
 */
import { GatewayError } from '../errors.ts';
import type { ErrorCode } from '../errors.ts';

/** Where an exchange failed. */
export type UpstreamSide =
  | 'connect'
  | 'headers-timeout'
  | 'total-timeout'
  | 'reset'
  | 'invalid-response'
  | 'client-aborted'
  /** The request itself could not be sent as given (bad method, header or path); never written. */
  | 'invalid-request';

const CODE_BY_SIDE: Readonly<Record<UpstreamSide, ErrorCode>> = {
  'connect': 'GW_ERR_UPSTREAM_CONNECT',
  'headers-timeout': 'GW_ERR_UPSTREAM_HEADERS_TIMEOUT',
  'total-timeout': 'GW_ERR_UPSTREAM_TOTAL_TIMEOUT',
  'reset': 'GW_ERR_UPSTREAM_RESET',
  'invalid-response': 'GW_ERR_UPSTREAM_INVALID_RESPONSE',
  'client-aborted': 'GW_ERR_CLIENT_ABORTED',
  'invalid-request': 'GW_ERR_REQUEST_BAD',
};

/** Sides that are the upstream's fault and count against a breaker. */
const UPSTREAM_FAULT_SIDES: ReadonlySet<UpstreamSide> = new Set<UpstreamSide>([
  'connect', 'headers-timeout', 'total-timeout', 'reset', 'invalid-response',
]);

/** Facts about the failed exchange. */
export interface UpstreamErrorInit {
  readonly upstream: string;
  readonly side: UpstreamSide;
  /** False only when the request certainly never reached the upstream. */
  readonly delivered: boolean;
  /** The timeout that fired, in ms, for the timeout sides. */
  readonly timeoutMs?: number;
  readonly cause?: unknown;
}

/**
 * A failed upstream exchange.
 *
 * @example
 * try { await upstream.request(req) } catch (err) {
 *   if (err instanceof UpstreamError && !err.delivered) { ...fall back to legacy... }
 * }
 */
export class UpstreamError extends GatewayError {
  readonly upstream: string;
  readonly side: UpstreamSide;
  /** False only when the request certainly never reached the upstream (connect refused or timed out, DNS, never written). */
  readonly delivered: boolean;

  constructor(init: UpstreamErrorInit) {
    const causeText = describeCause(init.cause);
    // The cause (addresses, ports, library text) goes to the log line only, never to the client.
    super(CODE_BY_SIDE[init.side], {
      params: { upstream: init.upstream, timeoutMs: init.timeoutMs ?? 0, detail: causeText },
      details: { upstream: init.upstream, side: init.side, delivered: init.delivered, causeCode: causeCode(init.cause), cause: causeText },
      cause: init.cause,
    });
    this.name = 'UpstreamError';
    this.upstream = init.upstream;
    this.side = init.side;
    this.delivered = init.delivered;
  }
}

/** True when the failure is the upstream's fault (counts against its breaker). */
export function isUpstreamFault(err: unknown): boolean {
  return err instanceof UpstreamError && UPSTREAM_FAULT_SIDES.has(err.side);
}

/** The `code` of a Node or undici error, if any. */
export function causeCode(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = causeCode(cause);
    return code && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return cause === undefined ? 'unknown' : String(cause);
}

// Errors from the connect phase: the request was never written.
const CONNECT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EHOSTUNREACH', 'ENETUNREACH',
  'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED',
]);

// The upstream broke HTTP/1.1: llhttp parser errors (HPE_*) and framing undici refuses.
const INVALID_RESPONSE_CODES = new Set([
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_RES_EXCEEDED_MAX_SIZE', 'UND_ERR_HEADERS_OVERFLOW',
]);

function isInvalidResponse(code: string, cause: unknown): boolean {
  if (code.startsWith('HPE_') || INVALID_RESPONSE_CODES.has(code)) return true;
  const { name, message } = (cause ?? {}) as { name?: unknown; message?: unknown };
  // undici's parser errors do not always carry their HPE_ code, and it reports a response it
  // will not accept (an unsolicited 100, an unasked-for upgrade) as a socket error.
  return name === 'HTTPParserError' || (code === 'UND_ERR_SOCKET' && (message === 'bad response' || message === 'bad upgrade'));
}

const INVALID_REQUEST_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);

/**
 * Classifies an error undici reported. `written` says whether undici had
 * started writing the request on a connection; before that nothing was delivered.
 * `headersTimeoutMs` only fills the message of a headers timeout.
 */
export function classifyUndiciError(upstream: string, cause: unknown, written: boolean, headersTimeoutMs = 0): UpstreamError {
  if (cause instanceof UpstreamError) return cause;
  const code = causeCode(cause) ?? '';
  if (INVALID_REQUEST_CODES.has(code)) return new UpstreamError({ upstream, side: 'invalid-request', delivered: false, cause });
  if (!written || CONNECT_CODES.has(code)) return new UpstreamError({ upstream, side: 'connect', delivered: false, cause });
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new UpstreamError({ upstream, side: 'headers-timeout', delivered: true, timeoutMs: headersTimeoutMs, cause });
  }
  if (isInvalidResponse(code, cause)) {
    return new UpstreamError({ upstream, side: 'invalid-response', delivered: true, cause });
  }
  // UND_ERR_SOCKET ("other side closed"), ECONNRESET, EPIPE and anything unknown after writing began.
  return new UpstreamError({ upstream, side: 'reset', delivered: true, cause });
}
