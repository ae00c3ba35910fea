import type { IncomingMessage } from 'node:http';
import { readCappedBody } from '../../http/read-capped-body.ts';
import type { SubmittedValue } from '../../data/form-definition.ts';
import type { UploadedFile } from './validate-submission.ts';

/**
 * Reads a public form POST the way PHP fills `$_POST` / `$_FILES`: both
 * `application/x-www-form-urlencoded` and `multipart/form-data` (the enctype
 * of Mautic's form markup, §4.1), field names `mauticform[alias]`,
 * `mauticform[alias][]` and `mauticform[alias][key]`.
 */

/** PHP's default `post_max_size` (8M): a larger body leaves `$_POST` empty, as in PHP. */
export const DEFAULT_MAX_FORM_BODY_BYTES = 8 * 1024 * 1024;

/** The posted `mauticform` array, split into control keys and field values. */
export interface FormPost {
  /** Everything under `mauticform[…]` except files; lists for `[]` and `[key]` names. */
  fields: Record<string, SubmittedValue>;
  files: Record<string, UploadedFile>;
  /** True when the body was over the limit and was discarded. */
  oversized: boolean;
}

/** Splits `mauticform[alias][]` into `['alias', '']`; undefined for other names. */
function parseName(name: string): [string, string | undefined] | undefined {
  const match = /^mauticform\[([^\]]*)\](?:\[([^\]]*)\])?/.exec(name);
  if (!match || match[1] === undefined || match[1] === '') return undefined;
  return [match[1], match[2]];
}

function addValue(fields: Record<string, SubmittedValue>, alias: string, sub: string | undefined, value: string): void {
  if (sub === undefined) {
    fields[alias] = value;
    return;
  }
  const current = fields[alias];
  fields[alias] = Array.isArray(current) ? [...current, value] : [value];
}

/** Collects the `mauticform` entries of parsed form data. */
function collect(data: FormData): Omit<FormPost, 'oversized'> {
  const fields: Record<string, SubmittedValue> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [name, value] of data.entries()) {
    const parsed = parseName(name);
    if (!parsed) continue;
    const [alias, sub] = parsed;
    if (typeof value === 'string') addValue(fields, alias, sub, value);
    else if (value.name !== '') files[alias] = { name: value.name, size: value.size };
  }
  return { fields, files };
}

/** A body an earlier middleware (express.urlencoded with qs) already parsed. */
function fromParsedBody(body: unknown): Omit<FormPost, 'oversized'> {
  const fields: Record<string, SubmittedValue> = {};
  const root = (body as { mauticform?: unknown }).mauticform;
  if (root && typeof root === 'object') {
    for (const [alias, value] of Object.entries(root as Record<string, unknown>)) {
      if (typeof value === 'string') fields[alias] = value;
      else if (Array.isArray(value)) fields[alias] = value.map(String);
      else if (value && typeof value === 'object') fields[alias] = Object.values(value).map(String);
    }
  }
  return { fields, files: {} };
}

/**
 * Parses the request's `mauticform` data. Never throws for bad input: an
 * unreadable or unknown body type yields no fields, as PHP would.
 *
 * @param maxBytes - body limit in bytes; default 8 MiB (`post_max_size`)
 */
export async function readFormPost(req: IncomingMessage & { body?: unknown }, maxBytes = DEFAULT_MAX_FORM_BODY_BYTES): Promise<FormPost> {
  if (req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0) {
    return { ...fromParsedBody(req.body), oversized: false };
  }
  const raw = await readCappedBody(req, maxBytes);
  if (raw === undefined) return { fields: {}, files: {}, oversized: true };
  const type = req.headers['content-type'] ?? '';
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type) || raw.length === 0) {
    return { fields: {}, files: {}, oversized: false };
  }
  try {
    const data = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    return { ...collect(data), oversized: false };
  } catch {
    // A malformed multipart body: PHP drops what it cannot parse.
    return { fields: {}, files: {}, oversized: false };
  }
}
