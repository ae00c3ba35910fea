/**
 * The legacy answer of a shadowed request goes to the client and, chunk by chunk, into a
 * bounded capture for the comparison: one sink in front of the relay, no second read of the body.
 */
import type { BodyCapture } from '../compare/capture.ts';
import type { UpstreamResponse } from '../upstream/types.ts';

/**
 * Wraps `response` so that what `streamTo` delivers is also written to `capture`.
 * Only `streamTo` is teed (the relay's way of reading); `body` is not.
 *
 * @example await relayResponse(res, teeResponse(out.response, capture), requestId);
 */
export function teeResponse(response: UpstreamResponse, capture: BodyCapture): UpstreamResponse {
  return {
    get statusCode() { return response.statusCode; },
    get rawHeaders() { return response.rawHeaders; },
    get headers() { return response.headers; },
    get body() { return response.body; },
    streamTo(sink) {
      response.streamTo({
        write(chunk) {
          capture.write(chunk);
          return sink.write(chunk);
        },
        end() {
          capture.end();
          sink.end();
        },
        fail(err) {
          capture.fail(err);
          sink.fail(err);
        },
      });
    },
    resume: () => response.resume(),
    cancel: (reason) => response.cancel(reason),
    discard: () => response.discard(),
  };
}
