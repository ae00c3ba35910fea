/**
 * Validates the route catalogue and compiles it into a `Catalogue` at start-up.
 * An invalid catalogue stops start-up with a `CatalogueError` listing every
 * problem; a valid one is frozen and only read afterwards.
 */
import { GatewayError } from '../errors.ts';
import { ROUTE_ENTRIES } from '../../../routes/index.ts';
import { buildPatternIndex, LEGACY_DEFAULT_ROUTE, matchRequest } from './matcher.ts';
import type { CompiledPattern } from './matcher.ts';
import { validateEntries } from './validate-entries.ts';
import type { ValidEntry } from './validate-entries.ts';
import type { Catalogue, CompiledRoute, RouteMatch } from './types.ts';

/**
 * The catalogue is invalid. `problems` holds one line per problem, each starting
 * with the entry's index and id, e.g. `routes[3] (tracking.pixel) upstream: …`.
 * Code `GW_ERR_CONFIG_INVALID` (status 500), like every start-up configuration error.
 */
export class CatalogueError extends GatewayError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const noun = problems.length === 1 ? 'problem' : 'problems';
    const detail = `route catalogue has ${problems.length} ${noun}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    super('GW_ERR_CONFIG_INVALID', { params: { detail } });
    this.name = 'CatalogueError';
    this.problems = Object.freeze([...problems]);
  }
}

/**
 * Validates and compiles catalogue data.
 *
 * @param entries - the catalogue as plain data (normally `ROUTE_ENTRIES` from routes/).
 * @throws CatalogueError listing every problem found.
 * @example
 * const catalogue = compileCatalogue(ROUTE_ENTRIES);
 * catalogue.match('GET', '/mtracking.gif?page_url=x').route.id; // 'tracking.pixel'
 */
export function compileCatalogue(entries: unknown): Catalogue {
  const { entries: valid, problems } = validateEntries(entries);
  if (problems.length > 0) throw new CatalogueError(problems);
  const routes = valid.map(toCompiledRoute);
  const patterns = valid.flatMap((v, i) => compilePatterns(v, routes[i]!));
  const index = buildPatternIndex(patterns);
  const all = Object.freeze([...routes, LEGACY_DEFAULT_ROUTE]);
  const byId = new Map(all.map((route) => [route.id, route]));
  return Object.freeze({
    routes: all,
    byId: (id: string): CompiledRoute | undefined => byId.get(id),
    match: (method: string, rawTarget: string): RouteMatch => matchRequest(index, method, rawTarget),
  });
}

/**
 * Compiles the catalogue in routes/ (the data every gateway runs with).
 *
 * @throws CatalogueError when routes/ holds an invalid entry.
 */
export function loadCatalogue(): Catalogue {
  return compileCatalogue(ROUTE_ENTRIES);
}

function toCompiledRoute({ entry }: ValidEntry): CompiledRoute {
  return Object.freeze({
    id: entry.id,
    area: entry.area,
    methods: entry.methods === 'ANY' ? null : Object.freeze([...entry.methods]),
    upstream: entry.upstream,
    replayable: entry.replayable,
    journeyGroup: entry.journeyGroup ?? entry.id,
    paths: Object.freeze([...entry.paths]),
    ...(entry.comparison ? { comparison: entry.comparison } : {}),
    ...(entry.served === true ? { served: true } : {}),
    ...(entry.dryRun === true ? { dryRun: true } : {}),
  });
}

function compilePatterns({ entry, patterns }: ValidEntry, route: CompiledRoute): CompiledPattern[] {
  const methods = entry.methods === 'ANY' ? null : new Set<string>(entry.methods);
  return patterns.map((pattern) => {
    const first = pattern.segments[0];
    const isApiPath = first?.kind === 'literal' && first.value === 'api';
    return { route, pattern, methods, checkApiMarker: route.upstream !== null && !isApiPath };
  });
}
