/**
 * Answers requests node:http could not parse (its `clientError` event) with a
 * proper response and a code, instead of Node's bare `400 Bad Request`: the
 * request never reaches the pipeline, so this is its one error handler.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayError, renderError, type ErrorCode } from '../errors.ts';
import { requestIdOf } from './request-id.ts';

/** llhttp errors that mean ambiguous message framing (RFC 9112 §6.3), a smuggling risk. */
const SMUGGLING_CODES = new Set(['HPE_INVALID_TRANSFER_ENCODING', 'HPE_UNEXPECTED_CONTENT_LENGTH', 'HPE_INVALID_CONTENT_LENGTH', 'HPE_INVALID_CHUNK_SIZE']);

/** A parse or timeout error as node:http reports it. */
export interface ClientErrorLike extends Error {
  readonly code?: string;
  /** llhttp's short reason, e.g. `Header overflow`. */
  readonly reason?: string;
}

/** Maps a node:http client error to the registry code answered. */
function clientErrorCode(err: ClientErrorLike): ErrorCode {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 'GW_ERR_REQUEST_HEADERS_TOO_LARGE';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'GW_ERR_REQUEST_TIMEOUT';
  if (err.code && SMUGGLING_CODES.has(err.code)) return 'GW_ERR_REQUEST_SMUGGLING';
  return 'GW_ERR_REQUEST_BAD';
}

/**
 * Writes the error response on the raw socket and closes it. Does nothing
 * when the socket can no longer be written (the client already left).
 *
 * @returns the code answered, or null when nothing could be written.
 */
export function answerClientError(err: ClientErrorLike, socket: Duplex): ErrorCode | null {
  if (err.code === 'ECONNRESET' || !socket.writable || socket.writableEnded) {
    socket.destroy();
    return null;
  }
  const code = clientErrorCode(err);
  const detail = (err.reason ?? err.message).replace(/^Parse Error: /, '');
  const rendered = renderError(new GatewayError(code, { params: { detail } }));
  const head = [`HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status] ?? 'Error'}`];
  for (const [name, value] of Object.entries(rendered.headers)) head.push(`${name}: ${value}`);
  head.push(`x-request-id: ${requestIdOf(undefined)}`, 'connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(head.join('\r\n'), 'latin1'), rendered.body]));
  return code;
}
