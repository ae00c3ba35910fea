/**
 * The path pattern syntax of the catalogue (routes/README.md, "Pattern syntax"):
 *
 * - `/` alone, or `/` followed by segments separated by `/`; no empty segment, no trailing `/`;
 * - a segment is a literal (`mtracking.gif`) or one parameter `{name}` / `{name:digits}`
 *   optionally followed by a literal suffix (`{idHash}.gif`);
 * - `{name}` matches one or more characters other than `/`; with a suffix it also excludes the
 *   suffix's first character, as Symfony does (`/email/{idHash}.gif` is `^/email/[^/.]+\.gif$`,
 *   docs/mautic/public-http.md §1.5); `{name:digits}` matches `[0-9]+`;
 * - the first segment is always a literal, so the matcher can index patterns by it.
 *
 * Patterns are matched against the percent-decoded path, segment by segment.
 */

/** One segment of a parsed pattern. */
export type SegmentMatcher =
  | { readonly kind: 'literal'; readonly value: string }
  | {
      readonly kind: 'param';
      readonly name: string;
      /** True for `{name:digits}`. */
      readonly digits: boolean;
      /** Literal text after the parameter in the same segment, e.g. `.gif`; may be empty. */
      readonly suffix: string;
    };

/** A pattern after parsing. */
export interface ParsedPattern {
  /** The pattern as written. */
  readonly source: string;
  /** Segments after the leading `/`; empty for the root pattern `/`. */
  readonly segments: readonly SegmentMatcher[];
  /**
   * Identical for two patterns that match exactly the same paths, whatever their parameter
   * names; used to reject duplicate patterns.
   */
  readonly shape: string;
}

/** Characters allowed in a literal: RFC 3986 pchar without `%` (patterns are decoded text). */
const LITERAL_RE = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;
const PARAM_RE = /^\{([A-Za-z][A-Za-z0-9]*)(?::([a-z]+))?\}(.*)$/;
const PARAM_KINDS = new Set(['digits']);

/**
 * Parses a pattern.
 *
 * @returns the parsed pattern, or every problem found (human-readable, without location).
 * @example
 * parsePattern('/email/{idHash}.gif'); // { segments: [literal email, param idHash suffix .gif], ... }
 */
export function parsePattern(source: string): ParsedPattern | { readonly problems: readonly string[] } {
  if (!source.startsWith('/')) return { problems: [`pattern "${source}" must start with "/"`] };
  if (source === '/') return { source, segments: [], shape: '/' };
  const problems: string[] = [];
  const segments: SegmentMatcher[] = [];
  const names = new Set<string>();
  source.slice(1).split('/').forEach((text, index) => {
    const parsed = parseSegment(text, index, source);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      return;
    }
    if (parsed.kind === 'param') {
      if (names.has(parsed.name)) problems.push(`pattern "${source}" uses parameter {${parsed.name}} twice`);
      names.add(parsed.name);
    }
    segments.push(parsed);
  });
  if (problems.length > 0) return { problems };
  return { source, segments, shape: '/' + segments.map(shapeOf).join('/') };
}

/** True when parsePattern returned problems. */
export function isPatternProblem(
  parsed: ReturnType<typeof parsePattern>,
): parsed is { readonly problems: readonly string[] } {
  return 'problems' in parsed;
}

function parseSegment(text: string, index: number, source: string): SegmentMatcher | string {
  const where = `pattern "${source}" segment ${index + 1}`;
  if (text === '') return `${where} is empty (no "//" and no trailing "/")`;
  if (text === '.' || text === '..') return `${where} is a dot segment`;
  if (!text.includes('{') && !text.includes('}')) {
    return LITERAL_RE.test(text) ? { kind: 'literal', value: text } : `${where} "${text}" has a character outside [A-Za-z0-9._~!$&'()*+,;=:@-]`;
  }
  if (index === 0) return `${where} must be a literal (patterns are indexed by their first segment)`;
  const match = PARAM_RE.exec(text);
  if (!match) return `${where} "${text}" is not a literal nor {name}, {name:digits} with an optional literal suffix`;
  const [, name = '', kind, suffix = ''] = match;
  if (kind !== undefined && !PARAM_KINDS.has(kind)) return `${where} parameter {${name}:${kind}} has unknown kind "${kind}" (known: digits)`;
  if (suffix !== '' && !LITERAL_RE.test(suffix)) return `${where} suffix "${suffix}" has a character outside [A-Za-z0-9._~!$&'()*+,;=:@-]`;
  return { kind: 'param', name, digits: kind === 'digits', suffix };
}

function shapeOf(segment: SegmentMatcher): string {
  if (segment.kind === 'literal') return `=${segment.value}`;
  return `{${segment.digits ? 'digits' : 'any'}}${segment.suffix}`;
}

/**
 * Specificity of one segment: lower wins when two patterns match the same path
 * (literal, then parameter with suffix, then digits, then any).
 */
export function segmentRank(segment: SegmentMatcher): number {
  if (segment.kind === 'literal') return 0;
  return 1 + (segment.suffix === '' ? 2 : 0) + (segment.digits ? 0 : 1);
}

/**
 * Tests one decoded path segment against a parameter matcher.
 * Hot path: no allocation, no regular expression.
 */
export function paramAccepts(segment: string, matcher: Extract<SegmentMatcher, { kind: 'param' }>): boolean {
  const { suffix } = matcher;
  const valueLength = segment.length - suffix.length;
  if (valueLength <= 0) return false;
  if (suffix !== '') {
    if (!segment.endsWith(suffix)) return false;
    const excluded = suffix.charCodeAt(0);
    for (let i = 0; i < valueLength; i++) if (segment.charCodeAt(i) === excluded) return false;
  }
  if (matcher.digits) {
    for (let i = 0; i < valueLength; i++) {
      const c = segment.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
  }
  return true;
}
