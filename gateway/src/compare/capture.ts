/**
 * A bounded body capture: keeps at most `limitBytes` of a response body and
 * notes whether more came. Its `write`/`end`/`fail` have the shape of the
 * exchange's body sink (upstream/types.ts `BodySink`), so an exchange can hand a
 * shadow or primary body to it directly.
 */
import type { CapturedResponse } from './types.ts';

/** A capture in progress. */
export interface BodyCapture {
  /** Keeps the part of `chunk` that fits; always asks for more (the rest is counted, not kept). */
  write(chunk: Buffer): boolean;
  end(): void;
  fail(err: Error): void;
  /** The captured response once the body ended; undefined while it runs or after `fail`. */
  result(): CapturedResponse | undefined;
  /** The error `fail` got, if any. */
  failure(): Error | undefined;
}

/**
 * Starts capturing the body of a response whose status and headers are known.
 *
 * @param limitBytes - bytes kept (`comparison.captureBodyBytes`); a longer body is marked `truncated`.
 * @example
 * const capture = captureBody(200, res.rawHeaders, config.comparison.captureBodyBytes);
 * res.streamTo(capture);
 */
export function captureBody(status: number, rawHeaders: readonly string[], limitBytes: number): BodyCapture {
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  let done: CapturedResponse | undefined;
  let error: Error | undefined;
  return {
    write(chunk) {
      const room = limitBytes - kept;
      if (chunk.length > room) truncated = true;
      if (room > 0) {
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        chunks.push(part);
        kept += part.length;
      }
      return true;
    },
    end() {
      if (error === undefined) done = { status, rawHeaders, body: Buffer.concat(chunks, kept), truncated };
    },
    fail(err) {
      error = err;
      done = undefined;
    },
    result: () => done,
    failure: () => error,
  };
}
