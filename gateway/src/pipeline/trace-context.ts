/**
 * The W3C `traceparent` a shadow copy carries (https://www.w3.org/TR/trace-context/#traceparent-header):
 * the client's when it is well formed, so both answers sit in the client's trace, or a new one.
 * Its trace id goes into the diff record.
 */
import { randomBytes } from 'node:crypto';

/** `version-traceid-parentid-flags`, lower-case hex; all-zero ids are invalid. */
const TRACEPARENT_RE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A traceparent and its trace id. */
export interface TraceParent {
  readonly header: string;
  readonly traceId: string;
}

/**
 * The incoming `traceparent` (as request-heads.ts read it) when valid; otherwise a new sampled one.
 *
 * @example traceParentOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').traceId // '4bf9…4736'
 */
export function traceParentOf(incoming: string | undefined): TraceParent {
  const value = incoming?.trim();
  const m = value === undefined ? null : TRACEPARENT_RE.exec(value);
  if (value !== undefined && m && m[1] !== 'ff' && !/^0+$/.test(m[2]!) && !/^0+$/.test(m[3]!)) return { header: value, traceId: m[2]! };
  const traceId = randomBytes(16).toString('hex');
  return { header: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, traceId };
}
