/**
 * Comparison rules in the catalogue (routes/README.md, "Comparison rules"): malformed
 * rules are rejected with the entry, the field path and why; the catalogue's own
 * rules are valid and every route that can be shadowed has them.
 */
import { CatalogueError, compileCatalogue, loadCatalogue } from './compile.ts';
import type { ComparisonRules, RouteEntry } from '../model.ts';
import { ROUTE_ENTRIES } from '../../../routes/index.ts';

const RULES: ComparisonRules = {
  headers: ['content-type'],
  cookies: { ignoreValueOf: ['mautic_device_id'], expiresToleranceSeconds: 60 },
  location: { ignoreParams: [] },
  json: { ignore: ['id'], numbers: [], times: [] },
  html: { ignore: [] },
};

const PIXEL: RouteEntry = {
  id: 'tracking.pixel',
  area: 'tracking',
  methods: ['GET'],
  paths: ['/mtracking.gif'],
  upstream: 'tracking',
  replayable: false,
  mauticRoutes: ['mautic_page_tracker'],
  comparison: RULES,
};

function problemsOf(comparison: unknown, base: Partial<RouteEntry> = {}): readonly string[] {
  try {
    compileCatalogue([{ ...PIXEL, ...base, comparison }]);
  } catch (error) {
    if (error instanceof CatalogueError) return error.problems;
    throw error;
  }
  return [];
}

const LABEL = 'routes[0] (tracking.pixel)';

/** A malformed variant of RULES and the exact problem line it must produce. */
const INVALID: readonly [string, unknown, string][] = [
  ['a missing part', { ...RULES, html: undefined }, `${LABEL} comparison.html: Invalid input: expected object, received undefined`],
  ['an unknown key', { ...RULES, status: 'exact' }, `${LABEL} comparison: Unrecognized key: "status"`],
  ['an upper-case header', { ...RULES, headers: ['Content-Type'] }, `${LABEL} comparison.headers[0]: must be a lower-case header name`],
  ['set-cookie among the headers', { ...RULES, headers: ['set-cookie'] }, `${LABEL} comparison.headers[0]: is compared by comparison.cookies, not by headers`],
  ['location among the headers', { ...RULES, headers: ['location'] }, `${LABEL} comparison.headers[0]: is compared by comparison.location, not by headers`],
  ['a header twice', { ...RULES, headers: ['vary', 'vary'] }, `${LABEL} comparison.headers[1]: "vary" is listed twice`],
  ['a cookie name with a space', { ...RULES, cookies: { ...RULES.cookies, ignoreValueOf: ['mtc id'] } }, `${LABEL} comparison.cookies.ignoreValueOf[0]: must be a cookie name, or a regular expression written ^…$`],
  ['a cookie pattern without $', { ...RULES, cookies: { ...RULES.cookies, ignoreValueOf: ['^[0-9a-f]{32}'] } }, `${LABEL} comparison.cookies.ignoreValueOf[0]: a pattern must end with "$"`],
  ['a cookie pattern that does not compile', { ...RULES, cookies: { ...RULES.cookies, ignoreValueOf: ['^[0-9$'] } }, `${LABEL} comparison.cookies.ignoreValueOf[0]: is not a valid regular expression`],
  ['a negative expires tolerance', { ...RULES, cookies: { ...RULES.cookies, expiresToleranceSeconds: -1 } }, `${LABEL} comparison.cookies.expiresToleranceSeconds: Too small: expected number to be >=0`],
  ['a query parameter with brackets', { ...RULES, location: { ignoreParams: ['ct[]'] } }, `${LABEL} comparison.location.ignoreParams[0]: must be a query parameter name without brackets`],
  ['an empty JSON path segment', { ...RULES, json: { ...RULES.json, ignore: ['errors..message'] } }, `${LABEL} comparison.json.ignore[0]: must be keys joined by "." (e.g. errors.*.message)`],
  ['a negative numeric tolerance', { ...RULES, json: { ...RULES.json, numbers: [{ path: 'sentCount', delta: -1 }] } }, `${LABEL} comparison.json.numbers[0].delta: Too small: expected number to be >=0`],
  ['a time tolerance without a path', { ...RULES, json: { ...RULES.json, times: [{ toleranceMs: 1000 }] } }, `${LABEL} comparison.json.times[0].path: Invalid input: expected string, received undefined`],
  ['an HTML pattern that does not compile', { ...RULES, html: { ignore: ['(unclosed'] } }, `${LABEL} comparison.html.ignore[0]: is not a valid regular expression`],
  ['an HTML pattern that matches empty text', { ...RULES, html: { ignore: ['x*'] } }, `${LABEL} comparison.html.ignore[0]: must not match empty text`],
];

describe('malformed comparison rules are rejected with their path', () => {
  it.each(INVALID)('%s', (_name, comparison, expected) => {
    const problems = problemsOf(comparison);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(expected)).toBe(true);
  });

  it('lists every problem of one rule set, not only the first', () => {
    const problems = problemsOf({ ...RULES, headers: ['X'], html: { ignore: ['('] } });
    expect(problems.map((p) => p.split(':')[0])).toEqual([`${LABEL} comparison.headers[0]`, `${LABEL} comparison.html.ignore[0]`]);
  });

  it('refuses rules on a legacy-only route, which is never shadowed', () => {
    const problems = problemsOf(RULES, { id: 'legacy.thing', area: 'legacy-only', upstream: null });
    expect(problems).toEqual(['routes[0] (legacy.thing) comparison: a legacy-only route is never shadowed, so it has no comparison rules']);
  });

  it('accepts well-formed rules and keeps them on the compiled route', () => {
    expect(problemsOf(RULES)).toEqual([]);
    const route = compileCatalogue([PIXEL]).byId('tracking.pixel');
    expect(route?.comparison).toEqual(RULES);
  });
});

describe('the catalogue\'s comparison rules', () => {
  it('give every route that can move to a new upstream its rules, and none to legacy-only routes', () => {
    const catalogue = loadCatalogue();
    const missing = ROUTE_ENTRIES.filter((e) => e.upstream !== null && catalogue.byId(e.id)?.comparison === undefined).map((e) => e.id);
    expect(missing).toEqual([]);
    expect(ROUTE_ENTRIES.filter((e) => e.upstream === null && e.comparison !== undefined)).toEqual([]);
  });

  it('ignore the values that docs/mautic/public-http.md calls volatile (§2.2 cookies, §3.3 ids)', () => {
    const byId = (id: string) => ROUTE_ENTRIES.find((e) => e.id === id)!.comparison!;
    expect(byId('tracking.pixel').cookies.ignoreValueOf).toEqual(expect.arrayContaining(['mautic_device_id', 'mtc_id', 'mautic_referer_id']));
    expect(byId('tracking.event').json.ignore).toEqual(['id', 'sid', 'device_id']);
    expect(byId('tracking.pixel').headers).toEqual(expect.arrayContaining(['content-type', 'cache-control', 'expires', 'last-modified']));
    expect(byId('sending.contact').json).toEqual({ ignore: [], numbers: [], times: [] });
  });

  it('compare the reply route (§5.4) by its exact JSON: 201 `{"success":true}` or the 404 naming the hash has nothing volatile', () => {
    const reply = ROUTE_ENTRIES.find((e) => e.id === 'sending.reply')!;
    expect(reply.comparison!.json).toEqual({ ignore: [], numbers: [], times: [] });
    expect(reply.comparison!.headers).toContain('content-type');
    expect([reply.served, reply.dryRun, reply.replayable]).toEqual([true, true, false]);
  });
});
