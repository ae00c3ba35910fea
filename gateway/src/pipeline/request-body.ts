/**
 * The request body on its way to the primary. A body that may have to be sent
 * twice (fallback to legacy) is buffered up to a limit (docs/architecture.md §4); a larger
 * one streams to the primary only, and the caller counts the skip.
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
  /** A body that can be sent once; `skippedBuffering` when it was over the limit. */
  | { readonly kind: 'stream'; readonly stream: Readable; readonly skippedBuffering: boolean };

const NO_BODY: PreparedBody = Object.freeze({ kind: 'none' });

/** True when the request carries a body (RFC 9112 §6.3: framing by Transfer-Encoding or Content-Length). */
function hasBody(heads: RequestHeads): boolean {
  if (heads.transferEncoding !== undefined) return true;
  const length = heads.contentLength;
  return length !== undefined && length !== '0';
}

/** The body streamed straight through, without buffering. */
export function streamedBody(req: IncomingMessage, heads: RequestHeads): PreparedBody {
  return hasBody(heads) ? { kind: 'stream', stream: req, skippedBuffering: false } : NO_BODY;
}

/**
 * Buffers the body up to `limitBytes`. A body declared larger, or that grows
 * larger while chunked, is returned as a stream of what was read plus the rest.
 *
 * @param limitBytes - `server.maxBufferedBodyBytes`, default 1 MiB.
 * @throws the request's error when the client aborts while the body is read.
 */
export async function bufferedBody(req: IncomingMessage, heads: RequestHeads, limitBytes: number): Promise<PreparedBody> {
  if (!hasBody(heads)) return NO_BODY;
  if (Number(heads.contentLength) > limitBytes) return { kind: 'stream', stream: req, skippedBuffering: true };
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
