/**
 * A small in-memory route catalogue for gateway tests (docs/style.md §6: a real
 * implementation of our own interface, like Skipper's testdataclient). It
 * follows the Catalogue contract of gateway/src/routing/types.ts so the
 * pipeline can be tested without depending on the real routes/ data.
 */
import type { Area, NewUpstreamName } from '../../src/model.ts';
import { LEGACY_DEFAULT_ROUTE_ID, type Catalogue, type CompiledRoute, type RouteMatch } from '../../src/routing/types.ts';

interface TestRoute extends CompiledRoute {
  /** `/r/:redirectId` style; `*` at the end matches the rest. */
  readonly pattern: string;
}

function route(id: string, area: Area, methods: string[] | null, pattern: string, upstream: NewUpstreamName | null, replayable: boolean, journeyGroup = id): TestRoute {
  // Every test route with an upstream counts as served: tests move them freely.
  return Object.freeze({ id, area, methods, pattern, upstream, replayable, journeyGroup, ...(upstream === null ? {} : { served: true }) });
}

/** The routes every gateway test can rely on. */
export const TEST_ROUTES: readonly TestRoute[] = [
  route('tracking.pixel', 'tracking', ['GET', 'HEAD'], '/mtracking.gif', 'tracking', true, 'tracking.journey'),
  route('tracking.event', 'tracking', ['POST'], '/mtc/event', 'tracking', false, 'tracking.journey'),
  route('tracking.click', 'tracking', ['GET', 'HEAD'], '/r/:redirectId', 'tracking', true, 'tracking.journey'),
  route('tracking.hit', 'tracking', ['POST'], '/video/hit', 'tracking', true),
  route('forms.submit', 'forms', ['POST'], '/form/submit', 'forms', false),
  route('sending.contact', 'sending', ['POST'], '/api/emails/:id/contact/:contactId/send', 'sending', false),
  route('legacy.admin', 'legacy-only', null, '/s/*', null, false),
];

const LEGACY_DEFAULT: CompiledRoute = Object.freeze({
  id: LEGACY_DEFAULT_ROUTE_ID, area: 'legacy-only', methods: null, upstream: null, replayable: false, journeyGroup: LEGACY_DEFAULT_ROUTE_ID,
});

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i];
    if (w === '*') return params;
    if (g === undefined) return null;
    if (w.startsWith(':')) {
      if (g === '') return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return got.length === want.length ? params : null;
}

/** Builds the test catalogue (optionally with other routes). */
export function createTestCatalogue(routes: readonly TestRoute[] = TEST_ROUTES): Catalogue {
  const all: CompiledRoute[] = [...routes, LEGACY_DEFAULT];
  const byId = new Map(all.map((r) => [r.id, r]));
  return {
    routes: all,
    byId: (id) => byId.get(id),
    match(method: string, rawTarget: string): RouteMatch {
      const q = rawTarget.indexOf('?');
      const path = q === -1 ? rawTarget : rawTarget.slice(0, q);
      for (const r of routes) {
        if (r.methods && !r.methods.includes(method)) continue;
        const params = matchPattern(r.pattern, path);
        if (params) return { route: r, params };
      }
      return { route: LEGACY_DEFAULT, params: {} };
    },
  };
}
