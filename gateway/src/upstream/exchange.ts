/**
 * One request/response exchange with an upstream, as an undici dispatch handler.
 * It owns the headers and total timeouts (native timers: undici's own run on a
 * clock with about 1 s steps) and the client's abort signal, turns every failure
 * into one UpstreamError, and streams the response body with back-pressure
 * (the parser pauses while the body's buffer is full).
 */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { UpstreamError, classifyUndiciError } from './upstream-error.ts';
import type { ResolvedUpstreamOptions } from './upstream-options.ts';
import type { UpstreamHeaders, UpstreamRequest, UpstreamResponse } from './types.ts';

type Controller = Dispatcher.DispatchController;

const BODY_HIGH_WATER_MARK_BYTES = 64 * 1024;

function ignoreError(): void {}

/** The response body: a Readable that resumes the upstream parser when read. */
class ResponseBody extends Readable {
  readonly #exchange: Exchange;
  readonly #controller: Controller;

  constructor(exchange: Exchange, controller: Controller) {
    super({ highWaterMark: BODY_HIGH_WATER_MARK_BYTES });
    this.#exchange = exchange;
    this.#controller = controller;
    // A body nobody listens to (a discarded 5xx, a shadow answer) must not crash the
    // process when a timeout destroys it; readers still get the error (as undici does).
    this.on('error', ignoreError);
  }

  override _read(): void {
    this.#controller.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.#exchange.bodyDestroyed(err);
    callback(err);
  }
}

/** Runs one exchange; use `runExchange`. */
class Exchange implements Dispatcher.DispatchHandler {
  readonly #opts: ResolvedUpstreamOptions;
  readonly #req: UpstreamRequest;
  readonly #resolve: (res: UpstreamResponse) => void;
  readonly #reject: (err: UpstreamError) => void;
  #controller: Controller | null = null;
  #written = false;
  #body: ResponseBody | null = null;
  #finished = false;
  #failure: UpstreamError | null = null;
  #timer: NodeJS.Timeout | null = null;
  #headersTimer: NodeJS.Timeout | null = null;

  constructor(opts: ResolvedUpstreamOptions, req: UpstreamRequest, resolve: (res: UpstreamResponse) => void, reject: (err: UpstreamError) => void) {
    this.#opts = opts;
    this.#req = req;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(dispatcher: Dispatcher): void {
    const { signal, body } = this.#req;
    if (signal?.aborted) return this.#fail(this.#clientAborted(signal.reason));
    this.#timer = setTimeout(this.#onTotalTimeout, this.#opts.totalTimeoutMs);
    signal?.addEventListener('abort', this.#onClientAbort, { once: true });
    if (body instanceof Readable) body.once('error', this.#onRequestBodyError);
    try {
      dispatcher.dispatch({
        method: this.#req.method,
        path: this.#opts.basePath + this.#req.path,
        headers: this.#req.headers as Record<string, string | string[] | undefined>,
        body,
      }, this);
    } catch (err) {
      this.#fail(classifyUndiciError(this.#opts.name, err, false));
    }
  }

  onRequestStart(controller: Controller): void {
    this.#controller = controller;
    // Aborting here, before undici writes a byte, keeps `delivered` false.
    if (this.#failure) return controller.abort(this.#failure);
    this.#written = true;
    // Like undici's own headers timeout, the clock starts once the request body is sent.
    const body = this.#req.body;
    if (body instanceof Readable && !body.readableEnded) body.once('end', this.#startHeadersTimer);
    else this.#startHeadersTimer();
  }

  onResponseStart(controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (this.#finished || statusCode < 200) return;
    this.#clearHeadersTimer();
    const body = new ResponseBody(this, controller);
    this.#body = body;
    this.#resolve({ statusCode, headers: normalizeHeaders(headers), body });
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.#body && !this.#body.push(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (this.#finished) return;
    this.#settle();
    this.#body?.push(null);
  }

  onResponseError(_controller: Controller, err: Error): void {
    if (this.#finished) return;
    this.#fail(classifyUndiciError(this.#opts.name, err, this.#written, this.#opts.headersTimeoutMs));
  }

  /** Called by the body when it is destroyed, by us or by its reader. */
  bodyDestroyed(err: Error | null): void {
    if (this.#finished) return;
    // The reader gave up on the body: cancel the exchange; nobody waits for an error.
    this.#fail(err instanceof UpstreamError ? err : this.#clientAborted(err ?? undefined));
  }

  readonly #onTotalTimeout = (): void => {
    this.#timer = null;
    this.#fail(new UpstreamError({
      upstream: this.#opts.name, side: 'total-timeout', delivered: this.#written, timeoutMs: this.#opts.totalTimeoutMs,
    }));
  };

  readonly #startHeadersTimer = (): void => {
    if (this.#finished || this.#body || this.#headersTimer) return;
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

  readonly #onClientAbort = (): void => this.#fail(this.#clientAborted(this.#req.signal?.reason));

  readonly #onRequestBodyError = (err: Error): void => this.#fail(this.#clientAborted(err));

  #clientAborted(cause: unknown): UpstreamError {
    return new UpstreamError({ upstream: this.#opts.name, side: 'client-aborted', delivered: this.#written, cause });
  }

  #fail(err: UpstreamError): void {
    if (this.#finished) return;
    this.#settle();
    this.#failure = err;
    if (this.#body) this.#body.destroy(err);
    else this.#reject(err);
    if (this.#controller && !this.#controller.aborted) this.#controller.abort(err);
  }

  #settle(): void {
    this.#finished = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#clearHeadersTimer();
    this.#req.signal?.removeEventListener('abort', this.#onClientAbort);
    // The request body's error listener stays: a client upload that breaks after
    // the exchange ended must still find a listener, and #fail ignores it then.
  }
}

/** Lower-case names (undici gives them so), `set-cookie` always an array. */
function normalizeHeaders(headers: Record<string, string | string[] | undefined>): UpstreamHeaders {
  const cookie = headers['set-cookie'];
  if (typeof cookie === 'string') headers['set-cookie'] = [cookie];
  return headers as UpstreamHeaders;
}

/**
 * Sends `req` through `dispatcher` (the upstream's pool). Resolves at the
 * response headers; rejects only with UpstreamError.
 */
export function runExchange(dispatcher: Dispatcher, opts: ResolvedUpstreamOptions, req: UpstreamRequest): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    new Exchange(opts, req, resolve, reject).start(dispatcher);
  });
}
