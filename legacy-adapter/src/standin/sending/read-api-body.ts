import type { IncomingMessage } from 'node:http';
import { parseApiBody } from '../../codecs/mautic-api.ts';
import { StandinError } from '../errors.ts';
import { readCappedBody } from '../../http/read-capped-body.ts';

/**
 * The request body of an `/api` call. FOSRest's body listener makes JSON and
 * form-encoded bodies equivalent (docs/mautic/public-http.md §5.1); it runs before
 * the firewall, so a malformed body is a 400 even without credentials.
 */

/** Largest body read, in bytes (PHP's `post_max_size` default, 8M). */
export const MAX_API_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Reads the body as parameters. Empty bodies and unknown content types give
 * `{}`; invalid JSON or a JSON scalar is a 400, an oversized body a 413
 * (`StandinError`s, rendered in the framework shape, §2.7).
 *
 * @param maxBytes - body limit in bytes; default 8 MiB
 */
export async function readApiParams(req: IncomingMessage & { body?: unknown }, maxBytes = MAX_API_BODY_BYTES): Promise<Record<string, unknown>> {
  if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) return req.body as Record<string, unknown>;
  const raw = await readCappedBody(req, maxBytes);
  if (raw === undefined) throw new StandinError('STANDIN_ERR_BODY_TOO_LARGE', { limit: `${maxBytes} bytes` });
  const params = parseApiBody(raw.toString('utf8'), req.headers['content-type'] ?? '');
  if (!params) throw new StandinError('STANDIN_ERR_BAD_REQUEST');
  return params;
}
