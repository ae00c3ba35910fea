import { forEachDialect } from '../../../test-support/databases.ts';
import type { RunningStandin } from './server.ts';
import { BROWSER_UA, clearTrackingTables, count, rows, startTestStandin } from './standin-test-kit.ts';

forEachDialect('stand-in web-server rules and catch-all', (getDb) => {
  let standin: RunningStandin;
  let apiOff: RunningStandin;
  beforeAll(async () => {
    standin = await startTestStandin(getDb());
    apiOff = await startTestStandin(getDb(), { apiEnabled: false, doNotTrack404Anonymous: true });
  });
  afterAll(async () => {
    await standin.close();
    await apiOff.close();
  });
  beforeEach(() => clearTrackingTables(getDb()));

  const get = (base: RunningStandin, path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${base.url}${path}`, { redirect: 'manual', ...init, headers: { 'user-agent': BROWSER_UA, ...(init.headers as Record<string, string>) } });

  it('301s /index.php/x to /x with the query, as .htaccess does (§1.2)', async () => {
    const res = await get(standin, '/index.php/form/submit?formId=3');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`${standin.url}/form/submit?formId=3`);
  });

  it('301s a GET path with a trailing slash to the path without it (§1.4)', async () => {
    const res = await get(standin, '/mtracking.gif/?a=1');
    expect([res.status, res.headers.get('location')]).toEqual([301, '/mtracking.gif?a=1']);
    expect((await get(standin, '/some/page/', { method: 'POST' })).status).toBe(404);
  });

  it('answers an unknown landing page 404 with Mautic\'s message and records the 404 hit (§2.7, §3.13)', async () => {
    const res = await get(standin, '/spring-sale?utm_source=x');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(res.headers.get('x-standin-error')).toBe('STANDIN_ERR_NOT_FOUND');
    expect(await res.text()).toContain('Requested URL not found: /spring-sale?utm_source=x');
    const [hit] = await rows(getDb(), 'page_hits');
    expect(hit).toMatchObject({ code: 404, url: `${standin.url}/spring-sale?utm_source=x` });
    expect(await count(getDb(), 'leads')).toBe(1);
    expect(res.headers.getSetCookie()).toHaveLength(3);
  });

  it('answers JSON when Accept asks for it (§2.7)', async () => {
    const res = await get(standin, '/nope', { headers: { accept: 'application/json' } });
    expect([res.status, res.headers.get('content-type'), await res.json()]).toEqual([
      404, 'application/json', { errors: [{ message: 'Requested URL not found: /nope', code: 404, type: null }] },
    ]);
  });

  it('records no 404 hit for static prefixes or, with do_not_track_404_anonymous, for unknown visitors (§1.4, §3.13)', async () => {
    expect((await get(standin, '/css/app.css')).status).toBe(404);
    expect((await get(apiOff, '/spring-sale')).status).toBe(404);
    expect(await count(getDb(), 'page_hits')).toBe(0);
  });

  it('sends the admin UI to the login page (§1.3)', async () => {
    expect([(await get(standin, '/s/contacts')).status, (await get(standin, '/s/contacts')).headers.get('location')])
      .toEqual([302, 'http://127.0.0.1:8080/s/login']);
    expect((await get(standin, '/s/login')).status).toBe(200);
    expect((await get(standin, '/')).headers.get('location')).toBe('http://127.0.0.1:8080/s/dashboard');
  });

  it('refuses other API routes without credentials, with the API error JSON (§5.1)', async () => {
    const res = await get(standin, '/api/contacts');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: [{ message: 'API authorization denied.', code: 401, type: 'access_denied' }] });
    const withToken = await get(standin, '/api/contacts', { headers: { authorization: 'Bearer abc' } });
    expect(withToken.status).toBe(404);
    expect((await get(standin, '/oauth/v2/token', { method: 'POST' })).status).toBe(401);
  });

  it('with the API disabled answers 403 api_disabled — even for a pixel whose query holds "/api" (§5.1, §1.5)', async () => {
    const api = await get(apiOff, '/api/contacts');
    const body = { errors: [{ message: "API disabled. You need to enable the API in the API settings of Mautic's Configuration.", code: 403, type: 'api_disabled' }] };
    expect([api.status, await api.json()]).toEqual([403, body]);
    const pixel = await get(apiOff, '/mtracking.gif?page_url=https://shop.test/api/docs');
    expect([pixel.status, await pixel.json()]).toEqual([403, body]);
    expect(await count(getDb(), 'page_hits')).toBe(0);
  });

  it('answers 404, not 500, for a path that cannot be decoded', async () => {
    expect((await get(standin, '/r/%E0%A4%A')).status).toBe(404);
  });
}, { realMautic: true });
