/**
 * Validates the whole catalogue and collects EVERY problem, each located by the
 * entry's index, its id when readable, and the field path (docs/style.md §3).
 */
import type { z } from 'zod';
import { AREAS, NEW_UPSTREAM_NAMES, type RouteEntry } from '../model.ts';
import { routeEntrySchema } from './entry-schema.ts';
import { isPatternProblem, parsePattern } from './pattern.ts';
import type { ParsedPattern } from './pattern.ts';
import { LEGACY_DEFAULT_ROUTE_ID } from './types.ts';

/** An entry that passed validation, with its parsed patterns. */
export interface ValidEntry {
  readonly entry: RouteEntry;
  readonly patterns: readonly ParsedPattern[];
}

/** The outcome of validation: entries are complete only when problems is empty. */
export interface ValidationResult {
  readonly entries: readonly ValidEntry[];
  readonly problems: readonly string[];
}

/** First word of an id for each area: the service's name (`tracking.pixel`), or `legacy` (`legacy.oauth`). */
const ID_WORD: Readonly<Record<string, string>> = Object.fromEntries(AREAS.map((a) => [a, a === 'legacy-only' ? 'legacy' : a]));

/**
 * Validates catalogue data.
 *
 * @param input - anything; the catalogue must be an array of entries.
 * @example
 * const { problems } = validateEntries([{ id: 'tracking.pixel', ... }]);
 */
export function validateEntries(input: unknown): ValidationResult {
  if (!Array.isArray(input)) return { entries: [], problems: [`the catalogue must be an array of route entries, got ${describe(input)}`] };
  const problems: string[] = [];
  const entries: ValidEntry[] = [];
  input.forEach((raw: unknown, index) => {
    const label = labelOf(raw, index);
    const parsed = routeEntrySchema.safeParse(raw);
    if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `${label} ${formatIssue(issue)}`));
    problems.push(...crossFieldProblems(raw).map((p) => `${label} ${p}`));
    if (parsed.success) entries.push({ entry: parsed.data, patterns: parsed.data.paths.map(parsedOrThrow) });
  });
  problems.push(...crossEntryProblems(input));
  return { entries, problems };
}

/** `routes[3] (tracking.pixel)`, or `routes[3]` when the id is unreadable. */
function labelOf(raw: unknown, index: number): string {
  const id = isRecord(raw) && typeof raw.id === 'string' ? ` (${raw.id})` : '';
  return `routes[${index}]${id}`;
}

/** `methods[1]: Invalid option…`; a union reports the branch that got furthest. */
function formatIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') {
    const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
    if (deeper) return deeper.map((inner) => formatIssue({ ...inner, path: [...issue.path, ...inner.path] })).join('; ');
  }
  return `${formatPath(issue.path)}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(entry)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** Rules between fields, checked only where each field is individually well-typed. */
function crossFieldProblems(raw: unknown): string[] {
  if (!isRecord(raw)) return [];
  const { id, area, upstream, replayable } = raw;
  const problems: string[] = [];
  const knownArea = typeof area === 'string' && (AREAS as readonly string[]).includes(area);
  const knownUpstream = upstream === null || (typeof upstream === 'string' && (NEW_UPSTREAM_NAMES as readonly string[]).includes(upstream));
  if (id === LEGACY_DEFAULT_ROUTE_ID) problems.push(`id: "${LEGACY_DEFAULT_ROUTE_ID}" is reserved for the route of unmatched requests`);
  if (knownArea && typeof id === 'string' && !id.startsWith(`${ID_WORD[area as string]}.`)) {
    problems.push(`id: a route of area ${String(area)} must have an id starting with "${ID_WORD[area as string]}."`);
  }
  if (knownArea && knownUpstream) {
    if (area === 'legacy-only' && upstream !== null) problems.push(`upstream: a legacy-only route must have upstream null, got "${String(upstream)}"`);
    if (area !== 'legacy-only' && upstream === null) problems.push(`upstream: an extractable route (area ${String(area)}) needs its upstream`);
    if (area !== 'legacy-only' && upstream !== null && upstream !== area) {
      problems.push(`upstream: a route of area ${String(area)} moves to upstream "${String(area)}", not "${String(upstream)}"`);
    }
  }
  if (area === 'legacy-only' && replayable === true) problems.push('replayable: a legacy-only route is never sent to a new upstream, so it cannot be replayable');
  if (area === 'legacy-only' && raw.comparison !== undefined) problems.push('comparison: a legacy-only route is never shadowed, so it has no comparison rules');
  if (area === 'legacy-only' && (raw as { dryRun?: unknown }).dryRun !== undefined) problems.push('dryRun: a legacy-only route has no service to run it dry');
  if (area === 'legacy-only' && (raw as { served?: unknown }).served !== undefined) problems.push('served: a legacy-only route has no service to serve it');
  if ((raw as { dryRun?: unknown }).dryRun === true && (raw as { served?: unknown }).served !== true) problems.push('dryRun: only a route its service serves (served: true) can be run dry');
  return problems;
}

/** Duplicate ids, duplicate patterns, and journey groups that name another route. */
function crossEntryProblems(input: readonly unknown[]): string[] {
  const problems: string[] = [];
  const idAt = new Map<string, number>();
  const shapeAt = new Map<string, { readonly index: number; readonly source: string; readonly where: string }>();
  input.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const label = labelOf(raw, index);
    if (typeof raw.id === 'string') {
      const first = idAt.get(raw.id);
      if (first === undefined) idAt.set(raw.id, index);
      else problems.push(`${label} id: duplicate id "${raw.id}", first used by routes[${first}]`);
    }
    if (!Array.isArray(raw.paths)) return;
    raw.paths.forEach((source: unknown, p: number) => {
      if (typeof source !== 'string') return;
      const parsed = parsePattern(source);
      if (isPatternProblem(parsed)) return;
      const owner = shapeAt.get(parsed.shape);
      if (owner === undefined) shapeAt.set(parsed.shape, { index, source, where: `${label} paths[${p}] "${source}"` });
      // The very same string twice in one entry is already reported by the schema.
      else if (owner.index !== index || owner.source !== source) {
        problems.push(`${label} paths[${p}]: pattern "${source}" matches the same paths as ${owner.where}`);
      }
    });
  });
  input.forEach((raw, index) => {
    if (!isRecord(raw) || typeof raw.journeyGroup !== 'string') return;
    const named = idAt.get(raw.journeyGroup);
    if (named !== undefined && named !== index) {
      problems.push(`${labelOf(raw, index)} journeyGroup: "${raw.journeyGroup}" is the id of routes[${named}]; name the group, not a route`);
    }
  });
  return problems;
}

function parsedOrThrow(source: string): ParsedPattern {
  const parsed = parsePattern(source);
  if (isPatternProblem(parsed)) throw new Error(`pattern "${source}" passed the schema but does not parse`);
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
