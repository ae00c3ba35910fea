/**
 * One tracking request as plain data, read once from the HTTP request: what PHP would
 * put in `$_GET`, `$_POST`, `$_COOKIE` and `$_SERVER` (docs/mautic/public-http.md §2.1,
 * §3.2). The domain works on this, never on Express objects, so a hit can be handled the
 * same in the request and later.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { mergePhpArrays, parsePhpQuery } from '../../../legacy-adapter/src/codecs/php-query.ts';
import type { QueryMap } from '../../../legacy-adapter/src/codecs/php-query.ts';
import { parseCookieHeader } from '../../../legacy-adapter/src/codecs/request-cookies.ts';
import { readCappedBody } from '../../../legacy-adapter/src/http/read-capped-body.ts';

/** The facts of one request. */
export interface TrackingRequest {
  method: string;
  httpVersion: string;
  /** The raw path, before any decoding. */
  path: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string | undefined;
  get: QueryMap;
  post: QueryMap;
  /** array_merge(GET, POST): what a hit query starts from. */
  merged: QueryMap;
  cookies: Map<string, string>;
  /** The request's clock reading: every date it writes. */
  now: Date;
}

/** A header as one string ('' when absent; repeated headers joined as Node joins them). */
export function headerOf(request: Pick<TrackingRequest, 'headers'>, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/**
 * Reads a request. Only `application/x-www-form-urlencoded` bodies give POST
 * parameters, as the tracking protocol sends them (§3.1).
 */
export async function readTrackingRequest(req: IncomingMessage, maxBodyBytes: number, now: Date): Promise<TrackingRequest> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const get = parsePhpQuery(q < 0 ? '' : url.slice(q + 1));
  const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const post = isForm && !req.readableEnded ? parsePhpQuery((await readCappedBody(req, maxBodyBytes))?.toString('utf8') ?? '') : new Map();
  if (!isForm) req.resume();
  return {
    method: req.method ?? 'GET', httpVersion: req.httpVersion, path: q < 0 ? url : url.slice(0, q),
    headers: req.headers, remoteAddress: req.socket.remoteAddress,
    get, post, merged: mergePhpArrays(get, post), cookies: parseCookieHeader(req.headers.cookie), now,
  };
}
