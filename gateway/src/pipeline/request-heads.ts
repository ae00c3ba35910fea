/**
 * The few request header fields the pipeline reads, found in one pass over
 * `req.rawHeaders`. Reading `req.headers` instead makes node build an object of
 * every field on each request (it is built on first access), for eight fields
 * the stages need. Repeated fields combine as node's `req.headers` does:
 * Host and Authorization keep the first, Cookie joins with `; `, the others
 * with `, `.
 */

/** The fields the stages use; undefined when the request has none. */
export interface RequestHeads {
  readonly host: string | undefined;
  /** Undefined when absent; a repeated X-Request-Id joins with `, ` (and so is not well formed). */
  readonly requestId: string | undefined;
  readonly xForwardedFor: string | undefined;
  readonly xForwardedProto: string | undefined;
  readonly cookie: string | undefined;
  readonly authorization: string | undefined;
  readonly contentLength: string | undefined;
  readonly transferEncoding: string | undefined;
  /** W3C trace context: the first `traceparent` (a repeated one is invalid anyway) and `tracestate`. */
  readonly traceparent: string | undefined;
  readonly tracestate: string | undefined;
}

class Heads implements RequestHeads {
  host: string | undefined = undefined;
  requestId: string | undefined = undefined;
  xForwardedFor: string | undefined = undefined;
  xForwardedProto: string | undefined = undefined;
  cookie: string | undefined = undefined;
  authorization: string | undefined = undefined;
  contentLength: string | undefined = undefined;
  transferEncoding: string | undefined = undefined;
  traceparent: string | undefined = undefined;
  tracestate: string | undefined = undefined;
}

function joined(existing: string | undefined, value: string): string {
  return existing === undefined ? value : `${existing}, ${value}`;
}

/**
 * Reads the fields from a raw header list (name, value, name, value…).
 *
 * @example readRequestHeads(['Host', 'mautic.example', 'Cookie', 'mtc_id=5']).cookie // 'mtc_id=5'
 */
export function readRequestHeads(raw: readonly string[]): RequestHeads {
  const heads = new Heads();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    // The length first: most fields are none of these, and need no lower-casing.
    switch (name.length) {
      case 4:
        if (heads.host === undefined && name.toLowerCase() === 'host') heads.host = value;
        break;
      case 6:
        if (name.toLowerCase() === 'cookie') heads.cookie = heads.cookie === undefined ? value : `${heads.cookie}; ${value}`;
        break;
      case 10:
        if (name.toLowerCase() === 'tracestate') heads.tracestate = joined(heads.tracestate, value);
        break;
      case 11:
        if (heads.traceparent === undefined && name.toLowerCase() === 'traceparent') heads.traceparent = value;
        break;
      case 12:
        if (name.toLowerCase() === 'x-request-id') heads.requestId = joined(heads.requestId, value);
        break;
      case 13:
        if (heads.authorization === undefined && name.toLowerCase() === 'authorization') heads.authorization = value;
        break;
      case 14:
        if (heads.contentLength === undefined && name.toLowerCase() === 'content-length') heads.contentLength = value;
        break;
      case 15:
        if (name.toLowerCase() === 'x-forwarded-for') heads.xForwardedFor = joined(heads.xForwardedFor, value);
        break;
      case 17: {
        const lower = name.toLowerCase();
        if (lower === 'transfer-encoding') heads.transferEncoding = joined(heads.transferEncoding, value);
        else if (lower === 'x-forwarded-proto') heads.xForwardedProto = joined(heads.xForwardedProto, value);
        break;
      }
    }
  }
  return heads;
}
