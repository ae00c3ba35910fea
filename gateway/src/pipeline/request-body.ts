/**
 * The request body, read before any upstream is called (docs/architecture.md §4,
 * nginx's `proxy_request_buffering`): a body up to the limit is buffered whole,
 * so a slow client never holds an upstream connection, its time is never
 * counted against an upstream's timeouts, and the body can be sent again
 * (fallback to legacy). A larger body streams to the primary only, and the
 * caller counts the skip.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { RequestHeads } from './request-heads.ts';

/** The body as dispatch sends it. */
export type PreparedBody =
  /** No body at all (no Content-Length and no Transfer-Encoding, or length 0). */
  | { readonly kind: 'none' }
  /** The whole body, sendable any number of times. */
  | { readonly kind: 'buffered'; readonly bytes: Buffer }
  /** A body over the limit, sendable once (`skippedBuffering` is always true). */
  | { readonly kind: 'stream'; readonly stream: Readable; readonly skippedBuffering: boolean };

/** Why no body could be prepared. */
export type UnreadBody =
  /** The client did not send the body within `timeoutMs`. */
  | { readonly kind: 'timeout' }
  /** The client broke the upload off. */
  | { readonly kind: 'aborted' };

const NO_BODY: PreparedBody = Object.freeze({ kind: 'none' });
const TIMED_OUT: UnreadBody = Object.freeze({ kind: 'timeout' });
const ABORTED: UnreadBody = Object.freeze({ kind: 'aborted' });

/** True when the request carries a body (RFC 9112 §6.3: framing by Transfer-Encoding or Content-Length). */
function hasBody(heads: RequestHeads): boolean {
  if (heads.transferEncoding !== undefined) return true;
  const length = heads.contentLength;
  return length !== undefined && length !== '0';
}

/**
 * Reads the body up to `limitBytes`. A body declared larger, or that grows
 * larger while chunked, is returned as a stream of what was read plus the rest.
 * A request without a body gets `{ kind: 'none' }` at once, not a promise: most
 * requests then take no async step here. Never rejects.
 *
 * @param limitBytes - `server.maxBufferedBodyBytes`, default 1 MiB.
 * @param timeoutMs - time the client has to send a buffered body (`server.requestTimeoutMs`).
 * @example
 * const body = await readBody(req, heads, 1_048_576, 60_000);
 * if (body.kind === 'timeout') { ...answer 408... }
 */
export function readBody(req: IncomingMessage, heads: RequestHeads, limitBytes: number, timeoutMs: number): PreparedBody | Promise<PreparedBody | UnreadBody> {
  if (!hasBody(heads)) return NO_BODY;
  return readPresentBody(req, heads, limitBytes, timeoutMs);
}

async function readPresentBody(req: IncomingMessage, heads: RequestHeads, limitBytes: number, timeoutMs: number): Promise<PreparedBody | UnreadBody> {
  if (Number(heads.contentLength) > limitBytes) return { kind: 'stream', stream: req, skippedBuffering: true };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, TIMED_OUT);
  });
  try {
    return await Promise.race([bufferUpTo(req, limitBytes), timedOut]);
  } catch {
    return ABORTED;
  } finally {
    clearTimeout(timer);
  }
}

/** The body whole, or as a stream once it passes `limitBytes`. Rejects when the upload breaks. */
async function bufferUpTo(req: IncomingMessage, limitBytes: number): Promise<PreparedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    chunks.push(next.value);
    size += next.value.length;
    if (size > limitBytes) return { kind: 'stream', stream: Readable.from(concatenated(chunks, iterator), { objectMode: false }), skippedBuffering: true };
  }
  return { kind: 'buffered', bytes: Buffer.concat(chunks, size) };
}

async function* concatenated(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** What to hand the upstream client for a prepared body. */
export function bodyForUpstream(body: PreparedBody): Buffer | Readable | null {
  if (body.kind === 'none') return null;
  return body.kind === 'buffered' ? body.bytes : body.stream;
}
