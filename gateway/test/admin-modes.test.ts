// The route-mode API on the admin port (memory store; the Redis store runs the same store
// contract in gateway/src/flags and the fleet tests in fleet.test.ts): roles, effective modes,
// optimistic concurrency, rollback, the audit and every refusal.
import { expectCodedError } from './support/coded-error.ts';
import { startHarness, TEST_TOKEN, type Harness } from './support/harness.ts';

const VIEWER = 'viewer-token-0123456789';
const BOB = 'bob-operator-token-0123';
let h: Harness;
afterEach(async () => {
  await h?.close();
});

interface ErrorBody { error: { code: string; message: string } }
interface Change { version: number; who: string; routeId: string; tenant: string | null; from: unknown; to: unknown; why: string | null; action: string }
interface RouteModes { id: string; global: { flag: unknown; revision: number }; tenants: { tenant: string; mode: string; percent?: number; source: string; revision: number }[] }

beforeEach(async () => {
  h = await startHarness({
    env: { ADMIN_VIEWER_TOKEN: VIEWER },
    config: {
      admin: { host: '127.0.0.1', tokens: [{ label: 'bob', role: 'operator', token: BOB }] },
      tenants: [
        { id: 'acme', hosts: ['acme.example'], legacyUrl: 'http://127.0.0.1:1' },
        { id: 'globex', hosts: ['globex.example'], legacyUrl: 'http://127.0.0.1:1', services: ['tracking', 'forms'] },
      ],
    },
  });
});

const setMode = (route: string, body: Record<string, unknown>, token = TEST_TOKEN, ifMatch?: string) =>
  fetch(`${h.gateway.adminUrl}/admin/routes/${route}/mode`, {
    method: 'PUT', body: JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
  });
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;
const route = async (id: string, tenant?: string) => (await json<{ route: RouteModes }>(h.admin('GET', `/admin/routes/${id}${tenant ? `?tenant=${tenant}` : ''}`))).route;

describe('effective modes', () => {
  it('lists every route per tenant with the mode, where it comes from and the revision to send as If-Match', async () => {
    expect((await setMode('tracking.pixel', { mode: 'canary', percent: 5, reason: 'first ramp' })).status).toBe(200);
    expect((await setMode('tracking.pixel', { mode: 'legacy', tenant: 'acme', reason: 'acme waits' })).status).toBe(200);
    const pixel = await route('tracking.pixel');
    expect(pixel.global).toEqual({ flag: { mode: 'canary', percent: 5 }, revision: 1 });
    expect(pixel.tenants).toEqual([
      { tenant: 'default', mode: 'canary', percent: 5, source: 'flag', revision: 0 },
      { tenant: 'acme', mode: 'legacy', source: 'tenant-override', revision: 2 },
      { tenant: 'globex', mode: 'canary', percent: 5, source: 'flag', revision: 0 },
    ]);
    const list = await json<{ version: number; routes: RouteModes[] }>(h.admin('GET', '/admin/routes?tenant=acme'));
    expect(list.version).toBe(2);
    expect(list.routes.find((r) => r.id === 'forms.submit')?.tenants).toEqual([{ tenant: 'acme', mode: 'legacy', source: 'default', revision: 0 }]);
    const res = await h.admin('GET', '/admin/routes/tracking.pixel?tenant=acme');
    expect(res.headers.get('etag')).toBe('"2"');
  });
});

describe('roles', () => {
  it('a viewer reads routes, audit and fleet but cannot change anything (403)', async () => {
    for (const path of ['/admin/routes', '/admin/routes/tracking.pixel', '/admin/audit', '/admin/fleet', '/admin/flags']) {
      expect([path, (await h.admin('GET', path, undefined, VIEWER)).status]).toEqual([path, 200]);
    }
    const refused = [
      await setMode('tracking.pixel', { mode: 'extracted', reason: 'x' }, VIEWER),
      await h.admin('POST', '/admin/routes/tracking.pixel/rollback', {}, VIEWER),
      await h.admin('PUT', '/admin/flags/tracking.pixel', { mode: 'extracted' }, VIEWER),
      await h.admin('DELETE', '/admin/flags/tracking.pixel', undefined, VIEWER),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect((await json<ErrorBody>(res)).error.code).toBe('GW_ERR_ADMIN_FORBIDDEN');
    }
    expect((await json<{ entries: unknown[] }>(h.admin('GET', '/admin/audit'))).entries).toEqual([]);
  });
});

describe('two operators race', () => {
  it('both read revision 0; the first write wins, the second gets 409 and changes nothing', async () => {
    const { revision } = (await route('forms.submit', 'acme')).tenants[0] as { revision: number };
    const [first, second] = [
      await setMode('forms.submit', { mode: 'shadow', tenant: 'acme', reason: 'alice starts shadow' }, TEST_TOKEN, `"${revision}"`),
      await setMode('forms.submit', { mode: 'extracted', tenant: 'acme', reason: 'bob goes all in' }, BOB, `"${revision}"`),
    ];
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(second.status).toBe(409);
    const body = await json<ErrorBody>(second);
    expect(body.error.code).toBe('GW_ERR_ADMIN_VERSION_CONFLICT');
    expect(body.error.message).toContain('re-read it and retry');
    expect((await route('forms.submit', 'acme')).tenants[0]).toMatchObject({ mode: 'shadow', revision: 1 });
    expect((await setMode('forms.submit', { mode: 'extracted', tenant: 'acme', reason: 'bob, after re-reading' }, BOB, '"1"')).status).toBe(200);
  });
});

describe('rollback and the audit', () => {
  it('rolls back to the previous mode, and the audit has every change, rollbacks included, paged and filtered', async () => {
    await setMode('tracking.pixel', { mode: 'canary', percent: 10, reason: 'ramp' });
    await setMode('tracking.pixel', { mode: 'extracted', reason: 'all in' }, BOB);
    await setMode('forms.submit', { mode: 'shadow', tenant: 'acme', reason: 'try forms' });
    const back = await h.admin('POST', '/admin/routes/tracking.pixel/rollback', { reason: 'errors up' }, BOB);
    expect(back.status).toBe(200);
    expect((await json<{ change: Change }>(back)).change).toMatchObject({ version: 4, from: { mode: 'extracted' }, to: { mode: 'canary', percent: 10 }, action: 'rollback', who: 'bob', why: 'errors up' });
    expect((await route('tracking.pixel')).global.flag).toEqual({ mode: 'canary', percent: 10 });
    expect((await fetch(`${h.gateway.publicUrl}/mtracking.gif`, { headers: { cookie: 'mautic_device_id=abc' } })).status).toBe(200);

    const all = await json<{ entries: Change[]; next: string | null }>(h.admin('GET', '/admin/audit'));
    expect(all.entries.map((e) => [e.version, e.who, e.routeId, e.tenant, e.action, e.why])).toEqual([
      [4, 'bob', 'tracking.pixel', null, 'rollback', 'errors up'],
      [3, 'admin', 'forms.submit', 'acme', 'set', 'try forms'],
      [2, 'bob', 'tracking.pixel', null, 'set', 'all in'],
      [1, 'admin', 'tracking.pixel', null, 'set', 'ramp'],
    ]);
    const page1 = await json<{ entries: Change[]; next: string }>(h.admin('GET', '/admin/audit?route=tracking.pixel&limit=2'));
    expect(page1.entries.map((e) => e.version)).toEqual([4, 2]);
    const page2 = await json<{ entries: Change[]; next: string | null }>(h.admin('GET', `/admin/audit?route=tracking.pixel&limit=2&cursor=${page1.next}`));
    expect([page2.entries.map((e) => e.version), page2.next]).toEqual([[1], null]);
    expect((await json<{ entries: Change[] }>(h.admin('GET', '/admin/audit?tenant=acme'))).entries.map((e) => e.version)).toEqual([3]);
    expect((await json<{ entries: Change[] }>(h.admin('GET', '/admin/audit?tenant=*'))).entries.map((e) => e.version)).toEqual([4, 2, 1]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await json<{ entries: Change[] }>(h.admin('GET', `/admin/audit?since=${encodeURIComponent(later)}`))).entries).toEqual([]);
  });
});

describe('refusals', () => {
  it.each<[string, string, string, unknown, number, string]>([
    ['unknown route', 'PUT', '/admin/routes/tracking.nope/mode', { mode: 'extracted', reason: 'r' }, 404, 'GW_ERR_ADMIN_UNKNOWN_ROUTE'],
    ['unknown tenant', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'extracted', tenant: 'initech', reason: 'r' }, 404, 'GW_ERR_ADMIN_UNKNOWN_TENANT'],
    ['unknown route to read', 'GET', '/admin/routes/tracking.nope', undefined, 404, 'GW_ERR_ADMIN_UNKNOWN_ROUTE'],
    ['unknown tenant to list', 'GET', '/admin/routes?tenant=initech', undefined, 404, 'GW_ERR_ADMIN_UNKNOWN_TENANT'],
    ['unknown route to roll back', 'POST', '/admin/routes/tracking.nope/rollback', {}, 404, 'GW_ERR_ADMIN_UNKNOWN_ROUTE'],
    ['percent above 100', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'canary', percent: 101, reason: 'r' }, 400, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['negative percent', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'canary', percent: -1, reason: 'r' }, 400, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['canary without a percent', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'canary', reason: 'r' }, 400, 'GW_ERR_ADMIN_BAD_PERCENT'],
    ['percent with shadow', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'shadow', percent: 5, reason: 'r' }, 400, 'GW_ERR_ADMIN_PERCENT_NOT_CANARY'],
    ['unknown mode', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'new', reason: 'r' }, 400, 'GW_ERR_ADMIN_UNKNOWN_MODE'],
    ['no reason', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'extracted' }, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['blank reason', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'extracted', reason: '  ' }, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['unknown field', 'PUT', '/admin/routes/tracking.pixel/mode', { mode: 'extracted', reason: 'r', ttl: 3 }, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['body not JSON', 'PUT', '/admin/routes/tracking.pixel/mode', '{ mode', 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['body an array', 'PUT', '/admin/routes/tracking.pixel/mode', '[]', 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['legacy-only route', 'PUT', '/admin/routes/legacy.admin/mode', { mode: 'extracted', reason: 'r' }, 400, 'GW_ERR_ADMIN_ROUTE_LEGACY_ONLY'],
    ['tenant without the service', 'PUT', '/admin/routes/sending.contact/mode', { mode: 'shadow', tenant: 'globex', reason: 'r' }, 412, 'GW_ERR_ADMIN_SERVICE_NOT_CONFIGURED'],
    ['global change reaching a tenant without the service', 'PUT', '/admin/routes/sending.contact/mode', { mode: 'canary', percent: 1, reason: 'r' }, 412, 'GW_ERR_ADMIN_SERVICE_NOT_CONFIGURED'],
    ['nothing to roll back', 'POST', '/admin/routes/tracking.pixel/rollback', {}, 409, 'GW_ERR_ADMIN_NOTHING_TO_ROLL_BACK'],
    ['audit limit 0', 'GET', '/admin/audit?limit=0', undefined, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['audit since not a time', 'GET', '/admin/audit?since=yesterday', undefined, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['audit unknown parameter', 'GET', '/admin/audit?who=bob', undefined, 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
  ])('%s → %s %s', async (_name, method, path, body, status, code) => {
    // globex has no sending service: a global sending change would reach it unless it had its own flag.
    await expectCodedError(await h.admin(method, path, body), status, code);
    expect((await json<{ version: number }>(h.admin('GET', '/admin/routes'))).version).toBe(0);
  });

  it('a global change is allowed once the tenant without the service has its own legacy flag', async () => {
    expect((await setMode('sending.contact', { mode: 'legacy', tenant: 'globex', reason: 'no sending service' })).status).toBe(200);
    expect((await setMode('sending.contact', { mode: 'extracted', reason: 'the rest move' })).status).toBe(200);
  });

  it('a malformed If-Match is 400', async () => {
    const res = await setMode('tracking.pixel', { mode: 'shadow', reason: 'r' }, TEST_TOKEN, 'abc');
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.message).toContain('If-Match');
  });
});

describe('routes the services do not serve yet (routes/: served)', () => {
  let real: Harness;
  beforeAll(async () => {
    real = await startHarness({ catalogue: null });
  });
  afterAll(async () => real?.close());

  it.each([['forms.preview'], ['sending.preview'], ['sending.mailer-callback']])('%s: every mode but legacy is refused with 412, naming the service', async (routeId) => {
    for (const body of [{ mode: 'shadow', reason: 'r' }, { mode: 'canary', percent: 5, reason: 'r' }, { mode: 'extracted', reason: 'r', tenant: 'default' }]) {
      const res = await real.admin('PUT', `/admin/routes/${routeId}/mode`, body);
      await expectCodedError(res, 412, 'GW_ERR_ADMIN_ROUTE_NOT_SERVED');
    }
    expect((await real.admin('PUT', `/admin/routes/${routeId}/mode`, { mode: 'legacy', reason: 'r' })).status).toBe(200);
  });

  it('a served route moves', async () => {
    expect((await real.admin('PUT', '/admin/routes/forms.submit/mode', { mode: 'shadow', reason: 'r' })).status).toBe(200);
  });
});
