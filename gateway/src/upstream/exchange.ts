/**
 * One request/response exchange with an upstream, as an undici dispatch handler
 * of the controller interface (onRequestStart … onResponseError; pause, resume
 * and abort through the controller). It owns the headers and total timeouts
 * (native timers: undici's own run on a clock with about 1 s steps) and the
 * client's cancellation, turns every failure into one UpstreamError, and hands
 * the body to one sink with back-pressure (the parser pauses while the sink is
 * full). The header fields are taken as received (`controller.rawHeaders`), in
 * the upstream's case and order, not from undici's parsed object.
 */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { UpstreamError, classifyUndiciError } from './upstream-error.ts';
import type { ResolvedUpstreamOptions } from './upstream-options.ts';
import type { BodySink, UpstreamHeaders, UpstreamRequest, UpstreamResponse } from './types.ts';

/** Body bytes held while no sink is attached yet, before the upstream is paused. */
const UNCLAIMED_BODY_LIMIT_BYTES = 64 * 1024;

function ignoreError(): void {}

/** undici's parsed response header object. */
type ParsedHeaders = Record<string, string | string[] | undefined>;

const DROP: BodySink = { write: () => true, end: () => undefined, fail: () => undefined };

/** The answer handed to the caller: status, headers, and the body's controls. */
class ExchangeResponse implements UpstreamResponse {
  readonly statusCode: number;
  readonly rawHeaders: readonly string[];
  readonly #exchange: Exchange;
  #headers: UpstreamHeaders | null = null;
  #body: ResponseBody | null = null;

  constructor(exchange: Exchange, statusCode: number, rawHeaders: readonly string[]) {
    this.#exchange = exchange;
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
  }

  get headers(): UpstreamHeaders {
    this.#headers ??= headerObject(this.rawHeaders);
    return this.#headers;
  }

  get body(): Readable {
    if (this.#body === null) {
      this.#body = new ResponseBody(this);
      this.#exchange.attach(this.#body);
    }
    return this.#body;
  }

  streamTo(sink: BodySink): void {
    this.#exchange.attach(sink);
  }

  resume(): void {
    this.#exchange.resume();
  }

  cancel(reason?: Error): void {
    this.#exchange.cancel(reason);
  }

  discard(): void {
    this.#exchange.attach(DROP);
  }
}

/** The body as a Readable: a sink that pushes, and resumes the upstream when read. */
class ResponseBody extends Readable implements BodySink {
  readonly #response: ExchangeResponse;

  constructor(response: ExchangeResponse) {
    super({ highWaterMark: UNCLAIMED_BODY_LIMIT_BYTES });
    this.#response = response;
    // A body nobody listens to must not crash the process when a timeout destroys
    // it; readers still get the error (as undici does).
    this.on('error', ignoreError);
  }

  write(chunk: Buffer): boolean {
    return this.push(chunk);
  }

  end(): void {
    this.push(null);
  }

  fail(err: UpstreamError): void {
    this.destroy(err);
  }

  override _read(): void {
    this.#response.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    // The reader gave up (or the failure above): cancel; ignored once the exchange ended.
    this.#response.cancel(err ?? undefined);
    callback(err);
  }
}

/** Runs one exchange; use `runExchange`. */
class Exchange implements Dispatcher.DispatchHandler {
  readonly #opts: ResolvedUpstreamOptions;
  readonly #req: UpstreamRequest;
  readonly #resolve: (res: UpstreamResponse) => void;
  readonly #reject: (err: UpstreamError) => void;
  /** Called once when the exchange ends, however it ends. */
  readonly #onEnded: () => void;
  /** undici's handle on the request once it has a connection: pause, resume, abort. */
  #controller: Dispatcher.DispatchController | null = null;
  #written = false;
  #responded = false;
  #finished = false;
  /** The upstream's body is complete. */
  #ended = false;
  /** The sink got `end()`; it gets it once. */
  #sinkEnded = false;
  /** The sink's last write returned false: it gets nothing until `resume()`. */
  #sinkFull = false;
  #failure: UpstreamError | null = null;
  #sink: BodySink | null = null;
  /** Chunks no sink could take yet: before one was attached, or while it is full. */
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #timer: NodeJS.Timeout | null = null;
  #headersTimer: NodeJS.Timeout | null = null;

  constructor(opts: ResolvedUpstreamOptions, req: UpstreamRequest, settle: { resolve: (res: UpstreamResponse) => void; reject: (err: UpstreamError) => void; ended: () => void }) {
    this.#opts = opts;
    this.#req = req;
    this.#resolve = settle.resolve;
    this.#reject = settle.reject;
    this.#onEnded = settle.ended;
  }

  start(dispatcher: Dispatcher): void {
    const { cancel, body } = this.#req;
    if (cancel?.cancelled) return this.#fail(this.#clientAborted(cancel.reason));
    this.#timer = setTimeout(this.#onTotalTimeout, this.#opts.totalTimeoutMs);
    cancel?.onCancel(this.#onCancel);
    if (body instanceof Readable) body.once('error', this.#onRequestBodyError);
    try {
      dispatcher.dispatch({
        method: this.#req.method,
        path: this.#opts.basePath + this.#req.path,
        headers: this.#req.headers as string[] | Record<string, string | string[] | undefined>,
        body,
      }, this);
    } catch (err) {
      this.#fail(classifyUndiciError(this.#opts.name, err, false));
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Aborting here, before undici writes a byte, keeps `delivered` false.
    if (this.#failure) return controller.abort(this.#failure);
    this.#written = true;
    // Like undici's own headers timeout, the clock starts once the request body is sent.
    const body = this.#req.body;
    if (body instanceof Readable && !body.readableEnded) body.once('end', this.#onStreamedBodyEnd);
    else this.#startHeadersTimer();
  }

  /**
   * A streamed body is read from the client while it is written, so the upload's time is the
   * client's: the upstream's total budget starts again once the last byte is in.
   */
  readonly #onStreamedBodyEnd = (): void => {
    if (this.#finished) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#onTotalTimeout, this.#opts.totalTimeoutMs);
    this.#startHeadersTimer();
  };

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ParsedHeaders): void {
    // 1xx interim answers (103 Early Hints) are not the response.
    if (this.#finished || statusCode < 200) return;
    this.#clearHeadersTimer();
    this.#responded = true;
    this.#resolve(new ExchangeResponse(this, statusCode, rawHeaderList(controller.rawHeaders, headers)));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#finished) return;
    const sink = this.#sink;
    if (sink !== null && !this.#sinkFull && this.#queue.length === 0) {
      if (sink.write(chunk)) return;
      this.#sinkFull = true;
    } else {
      this.#queue.push(chunk);
      this.#queuedBytes += chunk.length;
      if (sink === null && this.#queuedBytes < UNCLAIMED_BODY_LIMIT_BYTES) return;
    }
    controller.pause();
  }

  onResponseEnd(): void {
    if (this.#finished) return;
    this.#settle();
    this.#ended = true;
    if (this.#sink !== null && this.#queue.length === 0) this.#endSink();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    if (this.#finished) return;
    this.#fail(classifyUndiciError(this.#opts.name, err, this.#written, this.#opts.headersTimeoutMs));
  }

  /** Hands the body to `sink`: what arrived so far, then the rest as it comes. */
  attach(sink: BodySink): void {
    if (this.#sink !== null) throw new Error('the response body has already been claimed');
    this.#sink = sink;
    if (this.#failure) return sink.fail(this.#failure);
    this.#flush();
  }

  /** The sink can take more: hand it what waits, then let the upstream continue. */
  resume(): void {
    if (this.#sink === null || this.#failure) return;
    this.#sinkFull = false;
    this.#flush();
  }

  #flush(): void {
    const sink = this.#sink as BodySink;
    while (this.#queue.length > 0 && !this.#sinkFull) {
      const chunk = this.#queue.shift() as Buffer;
      this.#queuedBytes -= chunk.length;
      if (!sink.write(chunk)) this.#sinkFull = true;
    }
    if (this.#queue.length > 0) return;
    // The end carries no bytes: a full sink gets it too, so it can finish once it has written.
    if (this.#ended) return this.#endSink();
    if (this.#sinkFull) return;
    if (!this.#finished && this.#controller?.paused === true) this.#controller.resume();
  }

  cancel(reason?: Error): void {
    this.#fail(this.#clientAborted(reason));
  }

  #endSink(): void {
    if (this.#sinkEnded) return;
    this.#sinkEnded = true;
    this.#sink?.end();
  }

  readonly #onTotalTimeout = (): void => {
    this.#timer = null;
    const side = this.#waitingForClientBody() ? 'client-timeout' : 'total-timeout';
    this.#fail(new UpstreamError({ upstream: this.#opts.name, side, delivered: this.#written, timeoutMs: this.#opts.totalTimeoutMs }));
  };

  /**
   * True while a streamed request body is being written and none of it waits to
   * be sent: undici takes every byte as it comes, so the client is what is slow.
   * (An upstream that stops reading pauses the body, and its bytes pile up.)
   */
  #waitingForClientBody(): boolean {
    const body = this.#req.body;
    return this.#written && body instanceof Readable && !body.readableEnded && body.readableFlowing === true && body.readableLength === 0;
  }

  readonly #startHeadersTimer = (): void => {
    if (this.#finished || this.#responded || this.#headersTimer) return;
    this.#headersTimer = setTimeout(this.#onHeadersTimeout, this.#opts.headersTimeoutMs);
  };

  readonly #onHeadersTimeout = (): void => {
    this.#headersTimer = null;
    this.#fail(new UpstreamError({
      upstream: this.#opts.name, side: 'headers-timeout', delivered: true, timeoutMs: this.#opts.headersTimeoutMs,
    }));
  };

  #clearHeadersTimer(): void {
    if (this.#headersTimer) clearTimeout(this.#headersTimer);
    this.#headersTimer = null;
  }

  readonly #onCancel = (reason: Error): void => this.#fail(this.#clientAborted(reason));

  readonly #onRequestBodyError = (err: Error): void => this.#fail(this.#clientAborted(err));

  #clientAborted(cause: unknown): UpstreamError {
    return new UpstreamError({ upstream: this.#opts.name, side: 'client-aborted', delivered: this.#written, cause });
  }

  #fail(err: UpstreamError): void {
    if (this.#finished) return;
    this.#settle();
    this.#failure = err;
    this.#queue = [];
    if (!this.#responded) this.#reject(err);
    else this.#sink?.fail(err);
    this.#controller?.abort(err);
  }

  #settle(): void {
    this.#finished = true;
    this.#onEnded();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#clearHeadersTimer();
    this.#req.cancel?.onCancel(null);
    // The request body's error listener stays: a client upload that breaks after
    // the exchange ended must still find a listener, and #fail ignores it then.
  }
}

/**
 * The fields as received, name, value, … as latin1 strings. undici hands the
 * parser's buffers; the parsed object is the fallback for a dispatcher that
 * has no raw list (names then lower-case).
 */
function rawHeaderList(raw: Dispatcher.DispatchController['rawHeaders'], parsed: ParsedHeaders): string[] {
  if (Array.isArray(raw)) {
    const out = new Array<string>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const field = raw[i] as Buffer | string;
      out[i] = typeof field === 'string' ? field : field.toString('latin1');
    }
    return out;
  }
  const out: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (Array.isArray(value)) for (const v of value) out.push(name, v);
    else if (value !== undefined) out.push(name, value);
  }
  return out;
}

/** Lower-case names; a repeated field becomes an array; `set-cookie` is always one. */
function headerObject(raw: readonly string[]): UpstreamHeaders {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const existing = out[name];
    if (existing === undefined) out[name] = name === 'set-cookie' ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  return out as UpstreamHeaders;
}

function nothing(): void {}

/**
 * Sends `req` through `dispatcher` (the upstream's pool). Resolves at the
 * response headers; rejects only with UpstreamError. `ended` is called once,
 * when the exchange is over (body done, failed or cancelled).
 */
export function runExchange(dispatcher: Dispatcher, opts: ResolvedUpstreamOptions, req: UpstreamRequest, ended: () => void = nothing): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    new Exchange(opts, req, { resolve, reject, ended }).start(dispatcher);
  });
}
