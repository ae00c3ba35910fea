/**
 * Streams an upstream response to the client with back-pressure. Once the
 * status line is out nothing else can be said, so a failure mid-body cuts the
 * client connection (the client sees a truncated response, never a wrong one).
 *
 * `body.pipe(res)` with its own error handling rather than `stream.pipeline`:
 * pipeline builds an AbortController per call and aborts it when the streams
 * finish (a DOMException with a stack trace per response), about 8 % of the
 * gateway's CPU on the passthrough path (bench/README.md).
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { UpstreamResponse } from '../upstream/types.ts';
import { UpstreamError } from '../upstream/upstream-error.ts';
import { filterResponseHeaders } from '../upstream/forward-headers.ts';
import { REQUEST_ID_HEADER } from '../pipeline/request-id.ts';

/** How relaying ended. */
export type RelayOutcome =
  | { readonly kind: 'complete' }
  /** The client went away; the upstream exchange was cancelled. */
  | { readonly kind: 'client-aborted' }
  /** The upstream failed after the headers; the client connection was cut. */
  | { readonly kind: 'upstream-failed'; readonly error: UpstreamError };

const COMPLETE: RelayOutcome = Object.freeze({ kind: 'complete' });
const CLIENT_ABORTED: RelayOutcome = Object.freeze({ kind: 'client-aborted' });

/**
 * Writes the upstream's status and headers, then pipes its body.
 *
 * - the body ends → the response ends → `complete`;
 * - the body fails with an upstream error → the client connection is destroyed → `upstream-failed`;
 * - the client connection closes first → the body is destroyed, which cancels the exchange → `client-aborted`.
 *
 * @returns when the last byte is written or the exchange broke; never rejects.
 */
export function relayResponse(res: ServerResponse, upstream: UpstreamResponse, requestId: string): Promise<RelayOutcome> {
  const headers = filterResponseHeaders(upstream.headers);
  // The client gets the gateway's request id, the one in its log line.
  headers[REQUEST_ID_HEADER] = requestId;
  res.writeHead(upstream.statusCode, headers);
  return new Promise((resolve) => new Relay(res, upstream.body, resolve).start());
}

/** One relay: the listeners on both streams, removed when it settles. */
class Relay {
  readonly #res: ServerResponse;
  readonly #body: Readable;
  readonly #resolve: (outcome: RelayOutcome) => void;
  #settled = false;

  constructor(res: ServerResponse, body: Readable, resolve: (outcome: RelayOutcome) => void) {
    this.#res = res;
    this.#body = body;
    this.#resolve = resolve;
  }

  start(): void {
    const body = this.#body;
    // The body may have failed between the headers and now (an error is emitted on a later tick).
    if (body.errored) return this.#onBodyError(body.errored);
    if (body.destroyed) return this.#onBodyError(new Error('the upstream body was destroyed before it was relayed'));
    if (this.#res.destroyed) return this.#onResponseClose();
    body.on('error', this.#onBodyError);
    this.#res.on('finish', this.#onFinish);
    this.#res.on('close', this.#onResponseClose);
    body.pipe(this.#res);
  }

  readonly #onFinish = (): void => this.#settle(COMPLETE);

  readonly #onBodyError = (err: Error): void => {
    if (this.#settled) return;
    this.#body.unpipe(this.#res);
    // Half a response is worse than none: cut the connection so the client sees it broke.
    this.#res.destroy();
    if (err instanceof UpstreamError && err.side !== 'client-aborted') this.#settle({ kind: 'upstream-failed', error: err });
    else this.#settle(CLIENT_ABORTED);
  };

  readonly #onResponseClose = (): void => {
    if (this.#settled) return;
    if (this.#res.writableFinished) return this.#settle(COMPLETE);
    // The client left before the last byte: stop reading the upstream (cancels the exchange).
    this.#body.unpipe(this.#res);
    this.#body.destroy();
    this.#settle(CLIENT_ABORTED);
  };

  #settle(outcome: RelayOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#res.off('finish', this.#onFinish);
    this.#res.off('close', this.#onResponseClose);
    // The body keeps its own ignore-listener (exchange.ts); late errors after settling go there.
    this.#body.off('error', this.#onBodyError);
    this.#resolve(outcome);
  }
}
