/**
 * The values the comparison works on (docs/architecture.md §6; CONTEXT.md: Diff,
 * Difference, Skipped comparison): two captured responses in, a match, a list of
 * differences, or a skip with its reason out.
 */

/** One response as the comparison sees it: captured up to `comparison.captureBodyBytes`. */
export interface CapturedResponse {
  readonly status: number;
  /** Header fields as received: name, value, name, value… (any case). */
  readonly rawHeaders: readonly string[];
  /** The body, or its first `captureBodyBytes` bytes when `truncated`. */
  readonly body: Buffer;
  /** The body was longer than the capture bound; such a pair is skipped, never compared. */
  readonly truncated: boolean;
}

/**
 * One difference between the legacy and the new response (CONTEXT.md: Difference).
 * `path` says where: `status`, `headers.cache-control`, `cookies.mtc_id.samesite`,
 * `location.query.utm_source`, `body.events.0`, `body.html[12]`, `body.bytes[6]`.
 * A value is null when that side has nothing there.
 */
export interface Difference {
  readonly path: string;
  readonly legacy: string | null;
  readonly new: string | null;
}

/**
 * Why a shadowed request was not compared (CONTEXT.md: Skipped comparison):
 * - `body-too-large`: a request or response body was larger than the buffer or capture bound;
 * - `cap-full`: the shadow concurrency cap was full, the copy was dropped;
 * - `deadline-passed`: the shadow did not answer within its deadline;
 * - `dry-run-unconfirmed`: the answer lacked `X-Strangler-Dry-Run: 1` (a contract violation, docs/architecture.md §5);
 * - `dry-run-unsupported`: the route's service does not declare dry-run support;
 * - `dry-run-gave-up`: the dry run gave up on a lock rather than wait (`X-Strangler-Dry-Run-Gave-Up`);
 * - `shadow-failed`: the copy got no answer (connect refused, reset, an invalid response);
 * - `legacy-incomplete`: the primary's answer did not reach its end (the client left, legacy failed).
 */
export type SkipReason =
  | 'body-too-large'
  | 'cap-full'
  | 'deadline-passed'
  | 'dry-run-unconfirmed'
  | 'dry-run-unsupported'
  | 'dry-run-gave-up'
  | 'shadow-failed'
  | 'legacy-incomplete';

/** Every skip reason, in the order above. */
export const SKIP_REASONS: readonly SkipReason[] = [
  'body-too-large',
  'cap-full',
  'deadline-passed',
  'dry-run-unconfirmed',
  'dry-run-unsupported',
  'dry-run-gave-up',
  'shadow-failed',
  'legacy-incomplete',
];

/** What comparing one pair gave. `omitted` counts differences past `maxDifferences`. */
export type Comparison =
  | { readonly outcome: 'match' }
  | { readonly outcome: 'mismatch'; readonly differences: readonly Difference[]; readonly omitted: number }
  | { readonly outcome: 'skipped'; readonly reason: SkipReason };
