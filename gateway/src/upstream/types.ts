/**
 * Contracts of the upstream layer: how the dispatch stage sends one request to
 * one upstream (CONTEXT.md: Upstream) and what comes back.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** Settings of one upstream. Every duration is in milliseconds. */
export interface UpstreamOptions {
  /** Name used in errors, logs and metrics: `legacy`, `tracking`, `forms`, `sending` (or `legacy:<tenant>`). */
  readonly name: string;
  /**
   * Origin of the upstream, `http://host:port` or `https://host:port`, optionally with a
   * base path (`http://legacy:8090/mautic`) that is prefixed to every request path.
   */
  readonly url: string;
  /** Time to open a TCP (and TLS) connection. Default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Time from sending the request until the response headers are complete. Not
   * counted while a streamed request body is still being written. Default 15000 ms.
   */
  readonly headersTimeoutMs?: number;
  /**
   * Time for the whole exchange, from `request()` until the last response body
   * byte (queueing, connect, request body, headers and response body). Default 30000 ms.
   */
  readonly totalTimeoutMs?: number;
  /** Size of the keep-alive connection pool (pipelining is 1). Default 32 connections. */
  readonly connections?: number;
  /**
   * How long an idle pooled connection is kept when the upstream sends no
   * `Keep-Alive: timeout` hint. Keep it below the upstream's own idle timeout
   * (Node 5 s, Apache 5 s) so the gateway never writes on a connection the
   * upstream is closing. Default 4000 ms.
   */
  readonly keepAliveTimeoutMs?: number;
}

/** Request headers as sent upstream: lower-case names, repeated fields as arrays. */
export type OutgoingHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

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
  /** Aborting it cancels the exchange with side `client-aborted`. */
  readonly signal?: AbortSignal;
}

/** Response headers: lower-case names; repeated fields as arrays; `set-cookie` always an array. */
export type UpstreamHeaders = IncomingHttpHeaders;

/** The upstream's answer. The body streams; read it or destroy it. */
export interface UpstreamResponse {
  readonly statusCode: number;
  readonly headers: UpstreamHeaders;
  /**
   * The response body as it arrives. Destroyed with an UpstreamError when the
   * upstream fails mid-body or the total timeout fires; destroying it cancels
   * the exchange.
   */
  readonly body: Readable;
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
