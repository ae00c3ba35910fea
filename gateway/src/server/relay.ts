/**
 * Streams an upstream response to the client with back-pressure. Once the
 * status line is out nothing else can be said, so a failure mid-body cuts the
 * client connection (the client sees a truncated response, never a wrong one).
 *
 * The relay is the body's sink (upstream/types.ts BodySink): chunks go from the
 * upstream parser straight to `res.write`, with no Readable and no `pipe` in
 * between; dropping them (and `stream.pipeline` before them) was the largest
 * gain of the passthrough's throughput (bench/README.md).
 */
import type { ServerResponse } from 'node:http';
import type { BodySink, UpstreamResponse } from '../upstream/types.ts';
import type { UpstreamError } from '../upstream/upstream-error.ts';
import { responseHeaderList } from '../upstream/forward-headers.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

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
 * Writes the upstream's status and headers, then its body as it arrives.
 *
 * - the body ends → the response ends → `complete`;
 * - the upstream fails mid-body → the client connection is destroyed → `upstream-failed`;
 * - the client connection closes first → the exchange is cancelled → `client-aborted`.
 *
 * @returns when the last byte is written or the exchange broke; never rejects.
 */
export function relayResponse(res: ServerResponse, upstream: UpstreamResponse, requestId: string): Promise<RelayOutcome> {
  // The client gets the gateway's request id, the one in its log line.
  res.writeHead(upstream.statusCode, responseHeaderList(upstream.rawHeaders, [REQUEST_ID_HEADER, requestId]));
  return new Promise((resolve) => new Relay(res, upstream, resolve).start());
}

/** One relay: the sink of the body and the one listener on the response. */
class Relay implements BodySink {
  readonly #res: ServerResponse;
  readonly #upstream: UpstreamResponse;
  readonly #resolve: (outcome: RelayOutcome) => void;
  #settled = false;

  constructor(res: ServerResponse, upstream: UpstreamResponse, resolve: (outcome: RelayOutcome) => void) {
    this.#res = res;
    this.#upstream = upstream;
    this.#resolve = resolve;
  }

  start(): void {
    if (this.#res.destroyed) {
      this.#settle(CLIENT_ABORTED);
      return this.#upstream.cancel(new Error('the client closed the connection'));
    }
    // 'close' comes after 'finish' on every response, and alone when the client left first.
    this.#res.once('close', this.#onClose);
    this.#upstream.streamTo(this);
  }

  write(chunk: Buffer): boolean {
    if (this.#settled) return true;
    if (this.#res.write(chunk)) return true;
    this.#res.once('drain', this.#onDrain);
    return false;
  }

  end(): void {
    if (!this.#settled) this.#res.end();
  }

  fail(err: UpstreamError): void {
    if (this.#settled) return;
    if (err.side === 'client-aborted') return this.#settle(CLIENT_ABORTED);
    // Half a response is worse than none: cut the connection so the client sees it broke.
    this.#settle({ kind: 'upstream-failed', error: err });
    this.#res.destroy();
  }

  readonly #onDrain = (): void => this.#upstream.resume();

  readonly #onClose = (): void => {
    if (this.#res.writableFinished) return this.#settle(COMPLETE);
    // The client left before the last byte: stop reading the upstream.
    this.#settle(CLIENT_ABORTED);
    this.#upstream.cancel(new Error('the client closed the connection'));
  };

  #settle(outcome: RelayOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#res.off('close', this.#onClose);
    this.#res.off('drain', this.#onDrain);
    this.#resolve(outcome);
  }
}
