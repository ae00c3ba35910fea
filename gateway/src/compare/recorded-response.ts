/**
 * One side's answer as a diff record keeps it, so an engineer can see both responses
 * side by side (docs/architecture.md §1, §6): status, header fields and the start of the
 * body, with personal data redacted before anything is stored.
 */
import { z } from 'zod';
import { bodyKindOf } from './compare.ts';
import { fieldValue } from './header-fields.ts';
import { redactHeaderValue, redactText } from './redact.ts';
import type { CapturedResponse } from './types.ts';

/** A response as stored: redacted, its body cut to `comparison.maxStoredBodyChars`. */
export interface RecordedResponse {
  readonly status: number;
  /** Header fields in the order received, `[name, value]`, names lower-case, values redacted. */
  readonly headers: readonly (readonly [string, string])[];
  /** Text bodies as redacted text; anything else (GIFs, files) as base64 of its first bytes. */
  readonly bodyEncoding: 'text' | 'base64';
  readonly body: string;
  /** The body was longer than what is kept (or than the capture bound). */
  readonly truncated: boolean;
}

/** The schema a recorded response read back from a store must pass. */
export const recordedResponseSchema = z.strictObject({
  status: z.number().int().min(100).max(999),
  headers: z.array(z.tuple([z.string(), z.string()])),
  bodyEncoding: z.enum(['text', 'base64']),
  body: z.string(),
  truncated: z.boolean(),
});

/**
 * Redacts and bounds one captured response for storing.
 *
 * @param maxBodyChars - characters kept of a text body, or bytes of another (`comparison.maxStoredBodyChars`).
 * @example
 * recordResponse({ status: 200, rawHeaders: ['Content-Type', 'application/json'], body, truncated: false }, 4096);
 */
export function recordResponse(captured: CapturedResponse, maxBodyChars: number): RecordedResponse {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < captured.rawHeaders.length; i += 2) {
    const name = captured.rawHeaders[i]!.toLowerCase();
    headers.push([name, redactHeaderValue(name, captured.rawHeaders[i + 1]!)]);
  }
  const isText = bodyKindOf(fieldValue(captured.rawHeaders, 'content-type')) !== 'bytes';
  if (!isText) {
    const kept = captured.body.subarray(0, maxBodyChars);
    return { status: captured.status, headers, bodyEncoding: 'base64', body: kept.toString('base64'), truncated: captured.truncated || kept.length < captured.body.length };
  }
  // Redact the whole text first: a cut could split an email and leave half of it readable.
  const text = redactText(captured.body.toString('utf8'));
  const body = text.length > maxBodyChars ? text.slice(0, maxBodyChars) : text;
  return { status: captured.status, headers, bodyEncoding: 'text', body, truncated: captured.truncated || body.length < text.length };
}
