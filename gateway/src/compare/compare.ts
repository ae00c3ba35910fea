/**
 * The comparison of one shadowed request (docs/architecture.md §6): a pure
 * function over the two captured responses and the route's comparison rules.
 * Runs after the client has its answer and never changes it.
 */
import type { ComparisonRules, HtmlComparison } from '../model.ts';
import { compareCookies } from './cookies.ts';
import { compareFields, fieldValue } from './header-fields.ts';
import { normaliseHtml } from './html-normalise.ts';
import { compareJsonBodies } from './json-body.ts';
import { compareLocations } from './location.ts';
import { compareBytes, compareSequences } from './sequence-diff.ts';
import type { CapturedResponse, Comparison, Difference } from './types.ts';

/** The header a service's dry-run answer must carry (docs/architecture.md §5). */
export const DRY_RUN_HEADER = 'x-strangler-dry-run';

/**
 * The header a service's dry run sets when it gave up on a lock rather than wait, with why
 * (`lock-timeout`); its answer is then no answer to compare (docs/architecture.md §5).
 */
export const DRY_RUN_GAVE_UP_HEADER = 'x-strangler-dry-run-gave-up';

/** How a body is compared, from the legacy answer's media type. */
export type BodyKind = 'json' | 'html' | 'text' | 'bytes';

/** Bounds of one comparison. */
export interface CompareOptions {
  /** Differences kept; the rest are only counted (`comparison.maxDifferences`). */
  readonly maxDifferences: number;
}

/**
 * The body kind of a media type: JSON (`application/json`, `+json`), HTML, other text
 * (`text/*`, JavaScript, XML) or bytes (the GIFs, files, anything else).
 */
export function bodyKindOf(contentType: string | null): BodyKind {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/json' || mime.endsWith('+json')) return 'json';
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime.startsWith('text/') || mime.endsWith('javascript') || mime.endsWith('xml')) return 'text';
  return 'bytes';
}

/** Compiled `html.ignore` patterns, once per rule set (the catalogue's rules live as long as the process). */
const compiledPatterns = new WeakMap<HtmlComparison, readonly RegExp[]>();

function patternsOf(rules: HtmlComparison): readonly RegExp[] {
  let patterns = compiledPatterns.get(rules);
  if (patterns === undefined) compiledPatterns.set(rules, (patterns = rules.ignore.map((source) => new RegExp(source, 'g'))));
  return patterns;
}

/** Normalised tokens; a page's own redirect target, which `location` rules compare, becomes a placeholder. */
function htmlTokens(body: Buffer, rules: HtmlComparison, location: string | null): string[] {
  const patterns = patternsOf(rules);
  return normaliseHtml(body.toString('utf8')).map((token) => {
    let out = location ? token.split(location).join('{location}') : token;
    for (const re of patterns) out = out.replace(re, '…');
    return out;
  });
}

function compareBodies(rules: ComparisonRules, legacy: CapturedResponse, shadow: CapturedResponse): Difference[] {
  if (legacy.body.equals(shadow.body)) return [];
  const kind = bodyKindOf(fieldValue(legacy.rawHeaders, 'content-type'));
  if (kind === 'bytes') return compareBytes(legacy.body, shadow.body);
  if (kind === 'json') return compareJsonBodies(rules.json, legacy.body.toString('utf8'), shadow.body.toString('utf8'));
  if (kind === 'html') {
    const a = htmlTokens(legacy.body, rules.html, fieldValue(legacy.rawHeaders, 'location'));
    const b = htmlTokens(shadow.body, rules.html, fieldValue(shadow.rawHeaders, 'location'));
    return compareSequences('body.html', a, b, '', 0);
  }
  const lines = compareSequences('body.text', legacy.body.toString('utf8').split(/\r?\n/), shadow.body.toString('utf8').split(/\r?\n/), '\n', 1);
  // Bytes that are not UTF-8 can decode to the same text; they still differ.
  return lines.length > 0 ? lines : compareBytes(legacy.body, shadow.body);
}

/**
 * Compares the legacy response with the shadow's. A truncated body skips the pair
 * (`body-too-large`), a dry run that gave up too (`dry-run-gave-up`), and an answer without
 * `X-Strangler-Dry-Run: 1` (`dry-run-unconfirmed`).
 *
 * @example
 * const result = compareResponses(route.comparison, legacyCapture, shadowCapture, { maxDifferences: 50 });
 * if (result.outcome === 'mismatch') store.add(buildDiffRecord(…, result));
 */
export function compareResponses(rules: ComparisonRules, legacy: CapturedResponse, shadow: CapturedResponse, options: CompareOptions): Comparison {
  if (legacy.truncated || shadow.truncated) return { outcome: 'skipped', reason: 'body-too-large' };
  if (fieldValue(shadow.rawHeaders, DRY_RUN_GAVE_UP_HEADER) !== null) return { outcome: 'skipped', reason: 'dry-run-gave-up' };
  if (fieldValue(shadow.rawHeaders, DRY_RUN_HEADER) !== '1') return { outcome: 'skipped', reason: 'dry-run-unconfirmed' };
  const differences: Difference[] = [];
  if (legacy.status !== shadow.status) differences.push({ path: 'status', legacy: String(legacy.status), new: String(shadow.status) });
  differences.push(
    ...compareFields(rules.headers, legacy.rawHeaders, shadow.rawHeaders),
    ...compareCookies(rules.cookies, legacy.rawHeaders, shadow.rawHeaders),
    ...compareLocations(rules.location, legacy.rawHeaders, shadow.rawHeaders),
    ...compareBodies(rules, legacy, shadow),
  );
  if (differences.length === 0) return { outcome: 'match' };
  const kept = differences.slice(0, options.maxDifferences);
  return { outcome: 'mismatch', differences: kept, omitted: differences.length - kept.length };
}
