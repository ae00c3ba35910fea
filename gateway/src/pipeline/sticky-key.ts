/**
 * The sticky key of a request (CONTEXT.md: Sticky key), first that exists:
 * `mautic_device_id` cookie, `mautic_device_id` parameter, `mtc_id` cookie,
 * `mtc_id` parameter, the contact (`lead`) in `ct`, a hash of the API
 * credential, the client IP. Keys name their kind, and `mtc_id` and the `ct`
 * contact share the `contact:` kind, so one contact keeps one bucket.
 */
import { createHash } from 'node:crypto';
import { decodeClickthrough } from '../../../legacy-adapter/src/codecs/ct.ts';

/** What the sticky key is read from. */
export interface StickyInput {
  /** The raw Cookie header, if any. */
  readonly cookie: string | undefined;
  /** The request-target as sent (path and query). */
  readonly rawTarget: string;
  /** The raw Authorization header, if any. */
  readonly authorization: string | undefined;
  /** The peer address of the client connection. */
  readonly clientIp: string | undefined;
}

/**
 * Returns the sticky key, e.g. `device:k3l9…`, `contact:123`,
 * `credential:<sha256 prefix>` or `ip:203.0.113.7`; `none` when nothing exists.
 */
export function stickyKey(input: StickyInput): string {
  const query = queryOf(input.rawTarget);
  const device = cookieValue(input.cookie, 'mautic_device_id') ?? paramValue(query, 'mautic_device_id');
  if (device) return `device:${device}`;
  const contact = cookieValue(input.cookie, 'mtc_id') ?? paramValue(query, 'mtc_id') ?? contactFromCt(paramValue(query, 'ct'));
  if (contact) return `contact:${contact}`;
  const credential = input.authorization?.trim();
  // Hash it: the key lands in logs and spans, the secret must not.
  if (credential) return `credential:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}`;
  if (input.clientIp) return `ip:${input.clientIp.startsWith('::ffff:') ? input.clientIp.slice(7) : input.clientIp}`;
  return 'none';
}

function queryOf(rawTarget: string): URLSearchParams | null {
  const q = rawTarget.indexOf('?');
  return q === -1 ? null : new URLSearchParams(rawTarget.slice(q + 1));
}

function paramValue(query: URLSearchParams | null, name: string): string | undefined {
  return query?.get(name) || undefined;
}

/** The value of one cookie in a Cookie header; undefined when absent or empty. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (!value) return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/** The contact id in a `ct` value (docs/mautic/public-http.md §2.5); a bad `ct` gives no key. */
function contactFromCt(ct: string | undefined): string | undefined {
  if (!ct) return undefined;
  try {
    const lead = decodeClickthrough(ct).lead;
    return typeof lead === 'string' || typeof lead === 'number' ? String(lead) || undefined : undefined;
  } catch {
    return undefined;
  }
}
