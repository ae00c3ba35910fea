/**
 * One form submission request as plain data, read once: the `mauticform` post the way PHP
 * fills `$_POST` / `$_FILES` (urlencoded or multipart, docs/mautic/public-http.md §4.1), the
 * query, the cookies and the client facts. The domain works on this, never on Express objects.
 */
import type { IncomingMessage } from 'node:http';
import { parsePhpQuery } from '../../../../legacy-adapter/src/codecs/php-query.ts';
import { parseCookieHeader } from '../../../../legacy-adapter/src/codecs/request-cookies.ts';
import type { SubmittedValue } from '../../../../legacy-adapter/src/data/form-definition.ts';
import { readCappedBody } from '../../../../legacy-adapter/src/http/read-capped-body.ts';
import type { TrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';

/** An uploaded file, whole (the body limit bounds it). */
export interface UploadedFile {
  /** The client's file name. */
  name: string;
  size: number;
  bytes: Buffer;
}

/** The request: the tracking service's request facts plus the form post. */
export interface FormRequest extends TrackingRequest {
  /** Everything under `mauticform[…]` but files; lists for `[]` and `[key]` names. */
  fields: Record<string, SubmittedValue>;
  files: Record<string, UploadedFile>;
  /** Set once files are stored: removes them when the transaction fails after all. */
  removeUploads?: () => Promise<void>;
}

const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** `mauticform[alias]` → ['alias'], `mauticform[alias][]` / `[key]` → ['alias', sub]. */
function nameParts(name: string): [string, string | undefined] | undefined {
  const match = /^mauticform\[([^\]]+)\](?:\[([^\]]*)\])?/.exec(name);
  return match ? [match[1]!, match[2]] : undefined;
}

async function collect(data: FormData): Promise<Pick<FormRequest, 'fields' | 'files'>> {
  const fields: Record<string, SubmittedValue> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [name, value] of data.entries()) {
    const parts = nameParts(name);
    if (!parts) continue;
    const [alias, sub] = parts;
    if (typeof value !== 'string') {
      if (value.name !== '') files[alias] = { name: value.name, size: value.size, bytes: Buffer.from(await value.arrayBuffer()) };
    } else if (sub === undefined) {
      fields[alias] = value;
    } else {
      const current = fields[alias];
      fields[alias] = Array.isArray(current) ? [...current, value] : [value];
    }
  }
  return { fields, files };
}

/** Parses the post; an unreadable body gives no fields, as PHP drops what it cannot parse. */
async function parsePost(raw: Buffer | undefined, contentType: string): Promise<Pick<FormRequest, 'fields' | 'files'>> {
  if (!raw || raw.length === 0 || !FORM_TYPES.test(contentType)) return { fields: {}, files: {} };
  try {
    return await collect(await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData());
  } catch {
    return { fields: {}, files: {} };
  }
}

/**
 * Reads a submission request.
 *
 * @param maxBodyBytes - `post_max_size`: a larger body gives an empty post
 */
export async function readFormRequest(req: IncomingMessage, maxBodyBytes: number, now: Date): Promise<FormRequest> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const get = parsePhpQuery(q < 0 ? '' : url.slice(q + 1));
  const post = await parsePost(await readCappedBody(req, maxBodyBytes), req.headers['content-type'] ?? '');
  return {
    method: req.method ?? 'POST', httpVersion: req.httpVersion, path: q < 0 ? url : url.slice(0, q),
    headers: req.headers, remoteAddress: req.socket.remoteAddress,
    // Identification reads the query string only: the post is the form's, not tracking's.
    get, post: new Map(), merged: get, cookies: parseCookieHeader(req.headers.cookie), now, ...post,
  };
}
