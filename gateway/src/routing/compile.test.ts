/**
 * compileCatalogue rejects every kind of invalid entry, and lists every problem
 * with the entry's index, id and field path.
 */
import { CatalogueError, compileCatalogue } from './compile.ts';
import { isGatewayError } from '../errors.ts';
import type { RouteEntry } from '../model.ts';

const PIXEL: RouteEntry = {
  id: 'tracking.pixel',
  area: 'tracking',
  methods: ['GET', 'HEAD'],
  paths: ['/mtracking.gif'],
  upstream: 'tracking',
  replayable: false,
  journeyGroup: 'contact-journey',
  mauticRoutes: ['mautic_page_tracker'],
  reference: '§3.2',
};

/** Compiles and returns the problems, failing the test when nothing was thrown. */
function problemsOf(entries: unknown): readonly string[] {
  try {
    compileCatalogue(entries);
  } catch (error) {
    if (error instanceof CatalogueError) return error.problems;
    throw error;
  }
  throw new Error('compileCatalogue accepted an invalid catalogue');
}

/** One invalid variant of PIXEL and the problem it must produce. */
const INVALID: readonly [string, Record<string, unknown>, string][] = [
  ['unknown area', { area: 'email' }, 'routes[0] (tracking.pixel) area: Invalid option: expected one of "tracking"|"forms"|"sending"|"legacy-only"'],
  ['unknown upstream', { upstream: 'mailer' }, 'routes[0] (tracking.pixel) upstream: Invalid option: expected one of "tracking"|"forms"|"sending"'],
  ['unknown method', { methods: ['GET', 'FETCH'] }, 'routes[0] (tracking.pixel) methods[1]: Invalid option'],
  ['lower-case method', { methods: ['get'] }, 'routes[0] (tracking.pixel) methods[0]: Invalid option'],
  ['method listed twice', { methods: ['GET', 'GET'] }, 'methods: method GET is listed twice'],
  ['no methods', { methods: [] }, 'routes[0] (tracking.pixel) methods: Too small'],
  ['methods neither ANY nor a list', { methods: 'all' }, 'methods: must be "ANY" or a non-empty list of GET, HEAD'],
  ['no paths', { paths: [] }, 'routes[0] (tracking.pixel) paths: Too small'],
  ['pattern without leading slash', { paths: ['mtracking.gif'] }, 'paths[0]: pattern "mtracking.gif" must start with "/"'],
  ['pattern with trailing slash', { paths: ['/mtc/'] }, 'paths[0]: pattern "/mtc/" segment 2 is empty'],
  ['pattern with double slash', { paths: ['/r//{id}'] }, 'paths[0]: pattern "/r//{id}" segment 2 is empty'],
  ['pattern with dot segment', { paths: ['/r/../x'] }, 'paths[0]: pattern "/r/../x" segment 2 is a dot segment'],
  ['pattern with percent', { paths: ['/mtracking%2Egif'] }, 'paths[0]: pattern "/mtracking%2Egif" segment 1 "mtracking%2Egif" has a character outside'],
  ['pattern starting with a parameter', { paths: ['/{slug}'] }, 'paths[0]: pattern "/{slug}" segment 1 must be a literal'],
  ['parameter after a literal prefix', { paths: ['/email/x{idHash}'] }, 'is not a literal nor {name}'],
  ['unclosed parameter', { paths: ['/r/{redirectId'] }, 'is not a literal nor {name}'],
  ['unknown parameter kind', { paths: ['/r/{id:hex}'] }, 'parameter {id:hex} has unknown kind "hex"'],
  ['parameter used twice', { paths: ['/a/{x}/{x}'] }, 'uses parameter {x} twice'],
  ['pattern listed twice', { paths: ['/mtracking.gif', '/mtracking.gif'] }, 'paths: pattern "/mtracking.gif" is listed twice'],
  ['same shape twice in one entry', { paths: ['/r/{a}', '/r/{b}'] }, 'paths[1]: pattern "/r/{b}" matches the same paths as routes[0] (tracking.pixel) paths[0] "/r/{a}"'],
  ['bad id', { id: 'Tracking Pixel' }, 'id: must be lower-case words joined by dots'],
  ['id without area word', { id: 'pixel.tracking' }, 'id: a route of area tracking must have an id starting with "tracking."'],
  ['reserved id', { id: 'legacy.default', area: 'legacy-only', upstream: null }, 'id: "legacy.default" is reserved'],
  ['extractable route without upstream', { upstream: null }, 'upstream: an extractable route (area tracking) needs its upstream'],
  ['upstream of another area', { upstream: 'forms' }, 'upstream: a route of area tracking moves to upstream "tracking", not "forms"'],
  ['legacy-only route with an upstream', { id: 'legacy.pixel', area: 'legacy-only' }, 'upstream: a legacy-only route must have upstream null, got "tracking"'],
  ['replayable legacy-only route', { id: 'legacy.pixel', area: 'legacy-only', upstream: null, replayable: true }, 'replayable: a legacy-only route is never sent'],
  ['served legacy-only route', { id: 'legacy.pixel', area: 'legacy-only', upstream: null, served: true }, 'served: a legacy-only route has no service to serve it'],
  ['dry run on a route not served', { dryRun: true }, 'dryRun: only a route its service serves (served: true) can be run dry'],
  ['served not a boolean', { served: 'yes' }, 'served: Invalid input: expected boolean, received string'],
  ['replayable not a boolean', { replayable: 'yes' }, 'replayable: Invalid input: expected boolean, received string'],
  ['missing replayable', { replayable: undefined }, 'replayable: Invalid input: expected boolean, received undefined'],
  ['bad journey group', { journeyGroup: 'Contact Journey' }, 'journeyGroup: must be lower-case letters'],
  ['no Mautic route', { mauticRoutes: [] }, 'mauticRoutes: Too small'],
  ['bad reference', { reference: '3.2' }, 'reference: must be a section of docs/mautic/public-http.md'],
  ['unknown key', { timeoutMs: 5 }, 'routes[0] (tracking.pixel) (entry): Unrecognized key: "timeoutMs"'],
];

describe('compileCatalogue: each invalid entry kind is rejected', () => {
  it.each(INVALID)('%s', (_name, change, expected) => {
    const problems = problemsOf([{ ...PIXEL, ...change }]);
    expect(problems.some((p) => p.includes(expected))).toBe(true);
  });

  it('accepts the valid entry the table starts from', () => {
    expect(compileCatalogue([PIXEL]).match('GET', '/mtracking.gif').route.id).toBe('tracking.pixel');
  });
});

describe('compileCatalogue: problems between entries', () => {
  it('rejects a duplicate id and names the first entry', () => {
    const problems = problemsOf([PIXEL, { ...PIXEL, paths: ['/mtracking2.gif'] }]);
    expect(problems).toEqual(['routes[1] (tracking.pixel) id: duplicate id "tracking.pixel", first used by routes[0]']);
  });

  it('rejects two entries whose patterns match the same paths, whatever the parameter names', () => {
    const click = { ...PIXEL, id: 'tracking.click', paths: ['/r/{redirectId}'] };
    const other = { ...PIXEL, id: 'tracking.other', paths: ['/r/{id}'] };
    expect(problemsOf([click, other])).toEqual([
      'routes[1] (tracking.other) paths[0]: pattern "/r/{id}" matches the same paths as routes[0] (tracking.click) paths[0] "/r/{redirectId}"',
    ]);
  });

  it('rejects a journey group that is the id of another route', () => {
    const event = { ...PIXEL, id: 'tracking.event', paths: ['/mtc/event'], journeyGroup: 'tracking.pixel' };
    expect(problemsOf([PIXEL, event])).toEqual([
      'routes[1] (tracking.event) journeyGroup: "tracking.pixel" is the id of routes[0]; name the group, not a route',
    ]);
  });
});

describe('compileCatalogue: every problem is listed at once', () => {
  it('reports all problems of several entries, each with index, id and field path', () => {
    const problems = problemsOf([
      { ...PIXEL, area: 'nope', methods: ['GET', 'FOO'], paths: ['mtc'], replayable: 1, extra: true },
      { ...PIXEL, id: 'legacy.thing', area: 'legacy-only', replayable: true },
      42,
      { ...PIXEL },
    ]);
    expect(problems).toEqual([
      'routes[0] (tracking.pixel) area: Invalid option: expected one of "tracking"|"forms"|"sending"|"legacy-only"',
      'routes[0] (tracking.pixel) methods[1]: Invalid option: expected one of "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE"|"OPTIONS"',
      'routes[0] (tracking.pixel) paths[0]: pattern "mtc" must start with "/"',
      'routes[0] (tracking.pixel) replayable: Invalid input: expected boolean, received number',
      'routes[0] (tracking.pixel) (entry): Unrecognized key: "extra"',
      'routes[1] (legacy.thing) upstream: a legacy-only route must have upstream null, got "tracking"',
      'routes[1] (legacy.thing) replayable: a legacy-only route is never sent to a new upstream, so it cannot be replayable',
      'routes[2] (entry): Invalid input: expected object, received number',
      'routes[3] (tracking.pixel) id: duplicate id "tracking.pixel", first used by routes[0]',
      'routes[3] (tracking.pixel) paths[0]: pattern "/mtracking.gif" matches the same paths as routes[1] (legacy.thing) paths[0] "/mtracking.gif"',
    ]);
  });

  it('says what the top level must be when it is not an array', () => {
    expect(problemsOf({ routes: [] })).toEqual(['the catalogue must be an array of route entries, got object']);
    expect(problemsOf(null)).toEqual(['the catalogue must be an array of route entries, got null']);
  });
});

describe('CatalogueError', () => {
  it('is a GW_ERR_CONFIG_INVALID gateway error whose message lists every problem', () => {
    let caught: unknown;
    try {
      compileCatalogue([{ ...PIXEL, area: 'x' }, { ...PIXEL, id: 'tracking.b', paths: ['/b.gif'], upstream: null }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CatalogueError);
    const error = caught as CatalogueError;
    expect(isGatewayError(error)).toBe(true);
    expect(error.code).toBe('GW_ERR_CONFIG_INVALID');
    expect(error.status).toBe(500);
    expect(error.problems).toHaveLength(2);
    expect(error.message).toBe(
      'Configuration is invalid: route catalogue has 2 problems:\n' +
        '  - routes[0] (tracking.pixel) area: Invalid option: expected one of "tracking"|"forms"|"sending"|"legacy-only"\n' +
        '  - routes[1] (tracking.b) upstream: an extractable route (area tracking) needs its upstream',
    );
    expect(Object.isFrozen(error.problems)).toBe(true);
  });
});

describe('compileCatalogue: compiled result', () => {
  it('fills defaults and freezes what the hot path reads', () => {
    const catalogue = compileCatalogue([{ ...PIXEL, journeyGroup: undefined }, { ...PIXEL, id: 'tracking.any', methods: 'ANY', paths: ['/any'] }]);
    const pixel = catalogue.byId('tracking.pixel')!;
    expect(pixel).toEqual({
      id: 'tracking.pixel', area: 'tracking', methods: ['GET', 'HEAD'], upstream: 'tracking',
      replayable: false, journeyGroup: 'tracking.pixel', paths: ['/mtracking.gif'],
    });
    expect(Object.isFrozen(pixel) && Object.isFrozen(pixel.methods) && Object.isFrozen(catalogue.routes)).toBe(true);
    expect(catalogue.byId('tracking.any')!.methods).toBeNull();
    expect(catalogue.match('PROPFIND', '/any').route.id).toBe('tracking.any');
    expect(catalogue.byId('nope')).toBeUndefined();
  });

  it('compiles an empty catalogue: everything goes to the legacy default route', () => {
    const catalogue = compileCatalogue([]);
    expect(catalogue.routes.map((r) => r.id)).toEqual(['legacy.default']);
    expect(catalogue.match('GET', '/mtracking.gif')).toMatchObject({ route: { id: 'legacy.default' }, unmatched: 'no-route' });
  });

  it('picks the most specific pattern whatever the catalogue order', () => {
    const preview = { ...PIXEL, id: 'forms.preview', area: 'forms', upstream: 'forms', paths: ['/form/{id}'] };
    const submit = { ...PIXEL, id: 'forms.submit', area: 'forms', upstream: 'forms', methods: ['POST'], paths: ['/form/submit'] };
    const digits = { ...PIXEL, id: 'forms.numbered', area: 'forms', upstream: 'forms', paths: ['/form/{id:digits}'] };
    const catalogue = compileCatalogue([preview, digits, submit]);
    expect(catalogue.match('POST', '/form/submit').route.id).toBe('forms.submit');
    expect(catalogue.match('GET', '/form/submit').unmatched).toBe('method-not-allowed');
    expect(catalogue.match('GET', '/form/12').route.id).toBe('forms.numbered');
    expect(catalogue.match('GET', '/form/x12').route.id).toBe('forms.preview');
  });
});
