/**
 * The fallback rules (docs/architecture.md §4, CONTEXT.md: Fallback) as one pure
 * function: given how the new path ended, may the request go to legacy, and
 * with which reason?
 *
 * | new path ended with                      | goes to legacy when           | reason                   |
 * |------------------------------------------|-------------------------------|--------------------------|
 * | breaker open (call not made)             | always                        | `breaker-open`           |
 * | connect error (not delivered)            | the body can be sent again    | `fallback-connect-error` |
 * | 5xx, timeout, reset, invalid (delivered) | replayable route and body     | `fallback-replay`        |
 * | client aborted, 4xx, 2xx, 3xx            | never                         | —                        |
 */
import { UpstreamError } from '../upstream/upstream-error.ts';
import type { Reason } from '../model.ts';

/** How one attempt on the new upstream ended. */
export type NewPathOutcome =
  | { readonly kind: 'rejected' }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'status'; readonly statusCode: number };

/**
 * The reason to fall back to legacy, or null to answer what the new path gave.
 *
 * @param replayable - the route's catalogue flag.
 * @param bodyResendable - no body, or a fully buffered one.
 */
export function fallbackReason(outcome: NewPathOutcome, replayable: boolean, bodyResendable: boolean): Reason | null {
  switch (outcome.kind) {
    case 'rejected':
      // Nothing was read from the body, so even a streamed one can still go to legacy.
      return 'breaker-open';
    case 'status':
      return outcome.statusCode >= 500 && replayable && bodyResendable ? 'fallback-replay' : null;
    case 'failed': {
      const err = outcome.error;
      if (!(err instanceof UpstreamError) || err.side === 'client-aborted' || err.side === 'invalid-request') return null;
      if (!bodyResendable) return null;
      if (!err.delivered) return 'fallback-connect-error';
      return replayable ? 'fallback-replay' : null;
    }
  }
}
