/**
 * GET and POST parameters of a tracking request as PHP sees them
 * (`$request->query`, `$request->request`): the raw query string and an
 * `application/x-www-form-urlencoded` body, parsed with PHP's rules.
 * Other body types give no POST parameters (multipart is not used by the
 * tracking protocol).
 */
import type { Request } from 'express';
import { mergePhpArrays, parsePhpQuery } from '../../codecs/php-query.ts';
import type { QueryMap } from '../../codecs/php-query.ts';
import { readCappedBody } from '../../http/read-capped-body.ts';

/** PHP's default `post_max_size` (8 MiB): a larger body leaves `$_POST` empty. */
export const MAX_TRACKING_BODY_BYTES = 8 * 1024 * 1024;

/** The request's parameters. */
export interface RequestParameters {
  get: QueryMap;
  post: QueryMap;
  /** array_merge(GET, POST), what Mautic's hit query starts from. */
  merged: QueryMap;
}

/** The raw query string (after `?`, before any `#`). */
export function rawQueryString(req: Request): string {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/**
 * Reads GET and POST parameters. The body is consumed only when it is
 * form-urlencoded; latin1 keeps the bytes so the PHP parser decodes them once.
 */
export async function readParameters(req: Request, maxBodyBytes = MAX_TRACKING_BODY_BYTES): Promise<RequestParameters> {
  const get = parsePhpQuery(rawQueryString(req));
  const isForm = (req.get('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  const body = isForm && !req.readableEnded ? ((await readCappedBody(req, maxBodyBytes))?.toString('latin1') ?? '') : '';
  const post = parsePhpQuery(Buffer.from(body, 'latin1').toString('utf8'));
  return { get, post, merged: mergePhpArrays(get, post) };
}
