/**
 * Streams an upstream response to the client with back-pressure. Once the
 * status line is out nothing else can be said, so a failure mid-body cuts the
 * client connection (the client sees a truncated response, never a wrong one).
 */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
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

/**
 * Writes the upstream's status and headers, then pipes its body.
 *
 * @returns when the last byte is written or the exchange broke; never rejects.
 */
export function relayResponse(res: ServerResponse, upstream: UpstreamResponse, requestId: string): Promise<RelayOutcome> {
  const headers = filterResponseHeaders(upstream.headers);
  // The client gets the gateway's request id, the one in its log line.
  headers[REQUEST_ID_HEADER] = requestId;
  res.writeHead(upstream.statusCode, headers);
  return new Promise((resolve) => {
    pipeline(upstream.body, res, (err) => {
      if (!err) return resolve({ kind: 'complete' });
      if (err instanceof UpstreamError && err.side !== 'client-aborted') {
        res.destroy();
        return resolve({ kind: 'upstream-failed', error: err });
      }
      resolve({ kind: 'client-aborted' });
    });
  });
}
