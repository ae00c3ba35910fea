/**
 * Contracts of the upstream layer: how the dispatch stage sends one request to
 * one upstream (CONTEXT.md: Upstream) and what comes back.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Cancel } from './cancel.ts';
import type { UpstreamError } from './upstream-error.ts';

/** Settings of one upstream. Every duration is in milliseconds; unset ones take `UPSTREAM_DEFAULTS` (`upstreams.<name>.*` of the schema). */
export interface UpstreamOptions {
  /** Name used in errors, logs and metrics: `legacy`, `tracking`, `forms`, `sending` (or `legacy:<tenant>`). */
  readonly name: string;
  /**
   * Origin of the upstream, `http://host:port` or `https://host:port`, optionally with a
   * base path (`http://legacy:8090/mautic`) that is prefixed to every request path.
   */
  readonly url: string;
  /** Time to open a TCP (and TLS) connection. */
  readonly connectTimeoutMs?: number;
  /**
   * Time from sending the request until the response headers are complete. Not
   * counted while a streamed request body is still being written.
   */
  readonly headersTimeoutMs?: number;
  /**
   * Time for the whole exchange, from `request()` until the last response body
   * byte (queueing, connect, request body, headers and response body). A streamed
   * request body gets this much to arrive (when the client is what is slow, the
   * error is `client-timeout`), and the clock starts again once its last byte is
   * in, so the upstream is only held to the time it spends itself.
   */
  readonly totalTimeoutMs?: number;
  /** Size of the keep-alive connection pool (pipelining is 1). */
  readonly connections?: number;
  /**
   * Requests that may wait for a connection while all `connections` are busy;
   * one more is refused at once (side `queue-full`, 503). 0: none wait.
   */
  readonly queueLimit?: number;
  /**
   * How long an idle pooled connection is kept when the upstream sends no
   * `Keep-Alive: timeout` hint. Keep it below the upstream's own idle timeout
   * (Node 5 s, Apache 5 s) so the gateway never writes on a connection the
   * upstream is closing.
   */
  readonly keepAliveTimeoutMs?: number;
}

/**
 * Request headers as sent upstream: a flat list (name, value, name, value…), as
 * buildForwardHeaders makes them, or an object with repeated fields as arrays.
 */
export type OutgoingHeaders = readonly string[] | Readonly<Record<string, string | readonly string[] | undefined>>;

/** One request to an upstream. */
export interface UpstreamRequest {
  /** Upper-case method, e.g. `GET`. */
  readonly method: string;
  /** Request-target as received: path and query, starting with `/`. */
  readonly path: string;
  /** Headers to send (see forward-headers.ts); `host` is kept when present. */
  readonly headers: OutgoingHeaders;
  /**
   * The request body: a Buffer (sent with its length), a Readable (streamed with
   * back-pressure, never buffered here; its errors count as the client's) or null.
   */
  readonly body: Buffer | Readable | null;
  /** Cancelling it (the client left) ends the exchange with side `client-aborted`. */
  readonly cancel?: Cancel;
}

/** Response headers: lower-case names; repeated fields as arrays; `set-cookie` always an array. */
export type UpstreamHeaders = IncomingHttpHeaders;

/** Where a response body goes: the client's response (server/relay.ts) or a Readable. */
export interface BodySink {
  /** One chunk. Returning false pauses the upstream until `UpstreamResponse.resume()`. */
  write(chunk: Buffer): boolean;
  /** The body ended. */
  end(): void;
  /**
   * The exchange broke after the headers: reset, total timeout, or cancelled
   * (side `client-aborted`). Nothing else follows.
   */
  fail(err: UpstreamError): void;
}

/**
 * The upstream's answer, resolved at its headers. The body comes either through
 * `streamTo` (the relay to the client: no stream objects on the hot path) or
 * through `body` (a Readable, for everything else); use one, once.
 */
export interface UpstreamResponse {
  readonly statusCode: number;
  /** The header fields as received: name, value, name, value… (names in the upstream's case, values latin1). */
  readonly rawHeaders: readonly string[];
  /** The same fields as an object, built on first use. */
  readonly headers: UpstreamHeaders;
  /**
   * The body as a Readable, created on first use. Destroyed with an
   * UpstreamError when the upstream fails mid-body or the total timeout fires;
   * destroying it cancels the exchange.
   */
  readonly body: Readable;
  /** Delivers the body to `sink`, chunks already received first. */
  streamTo(sink: BodySink): void;
  /** Continues after the sink's `write` returned false. */
  resume(): void;
  /** Stops the exchange; a sink gets `fail` with side `client-aborted`. */
  cancel(reason?: Error): void;
  /** Reads the body to its end and drops it, so the pooled connection can be reused. */
  discard(): void;
}

/** Counters of the connection pool, for metrics. */
export interface UpstreamStats {
  /** Open connections. */
  readonly connected: number;
  /** Open connections with no request on them. */
  readonly free: number;
  /** Requests waiting for a connection. */
  readonly pending: number;
  /** Requests being processed on a connection. */
  readonly running: number;
  /** Requests refused since start because every connection was busy and the queue full (side `queue-full`). */
  readonly refused: number;
}

/** A pooled HTTP/1.1 client for one upstream origin. */
export interface Upstream {
  readonly name: string;
  /** The normalised origin, e.g. `http://127.0.0.1:8090`. */
  readonly origin: string;
  /**
   * Sends one request. Resolves when the response headers are in; rejects with
   * an UpstreamError (see upstream-error.ts) and never with anything else.
   */
  request(req: UpstreamRequest): Promise<UpstreamResponse>;
  stats(): UpstreamStats;
  /** Closes the pool: waits for running requests, then closes every connection. */
  close(): Promise<void>;
}
