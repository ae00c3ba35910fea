/**
 * Request ids: an incoming `X-Request-Id` is kept when it is short and well
 * formed (docs/style.md §5), otherwise the gateway makes one. Either way it goes to
 * the upstream, the log line and back to the client.
 */
import { randomUUID } from 'node:crypto';

/** Header carrying the request id, both ways. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** 1–128 characters of letters, digits and `._:-`. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id to use for a request.
 *
 * @param incoming - the raw `X-Request-Id` header value(s), if any.
 * @returns `incoming` when well formed, else a new UUID.
 * @example requestIdOf('abc-123') // 'abc-123'
 * @example requestIdOf('<script>') // e.g. '0b7e…' (generated)
 */
export function requestIdOf(incoming: string | readonly string[] | undefined): string {
  return typeof incoming === 'string' && WELL_FORMED.test(incoming) ? incoming : randomUUID();
}
