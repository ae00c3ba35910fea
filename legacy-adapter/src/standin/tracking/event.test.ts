import { forEachDialect } from '../../../../test-support/databases.ts';
import type { RunningStandin } from '../server.ts';
import { BROWSER_UA, clearTrackingTables, cookieValues, count, rows, startTestStandin } from '../standin-test-kit.ts';

const CORS_HEADERS = {
  'access-control-allow-origin': 'https://shop.test',
  'access-control-allow-headers': 'Origin, X-Requested-With, Content-Type, Authorization',
  'access-control-allow-methods': 'PUT, GET, POST, DELETE, OPTIONS',
  'access-control-allow-credentials': 'true',
  'access-control-max-age': '36000',
};
const corsOf = (res: Response): Record<string, string | null> =>
  Object.fromEntries(Object.keys(CORS_HEADERS).map((h) => [h, res.headers.get(h)]));

forEachDialect('stand-in /mtc/event, /mtc and /mtc.js', (getDb) => {
  let standin: RunningStandin;
  beforeAll(async () => {
    standin = await startTestStandin(getDb(), { corsValidDomains: ['https://shop.test', 'https://*.example.test'] });
  });
  afterAll(() => standin.close());
  beforeEach(() => clearTrackingTables(getDb()));

  const event = (body: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${standin.url}/mtc/event`, {
      method: 'POST', body,
      headers: { 'user-agent': BROWSER_UA, 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'XMLHttpRequest', origin: 'https://shop.test', ...headers },
    });

  it('answers the JSON of §3.3 and records the page view from the body', async () => {
    const res = await event('page_url=https%3A%2F%2Fshop.test%2Fcart&page_title=Cart&counter=0');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await res.json();
    const [lead] = await rows(getDb(), 'leads');
    const [device] = await rows(getDb(), 'lead_devices');
    expect(body).toEqual({ success: 1, id: lead!.id, sid: device!.tracking_id, device_id: device!.tracking_id, events: [] });
    const [hit] = await rows(getDb(), 'page_hits');
    expect(hit).toMatchObject({ url: 'https://shop.test/cart', url_title: 'Cart', lead_id: lead!.id });
    expect(cookieValues(res)).toEqual({ mautic_device_id: device!.tracking_id, mtc_id: String(lead!.id), mautic_referer_id: String(hit!.id) });
  });

  it('adds CORS headers to XHR requests from a valid origin (§2.3)', async () => {
    expect(corsOf(await event('page_url=x'))).toEqual(CORS_HEADERS);
  });

  it('sends an empty Allow-Origin for an origin not in the list (§2.3)', async () => {
    const res = await event('page_url=x', { origin: 'https://evil.test' });
    expect(res.headers.get('access-control-allow-origin')).toBe('');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('adds Vary: Origin when a wildcard entry allowed the origin (§2.3)', async () => {
    const res = await event('page_url=x', { origin: 'https://www.EXAMPLE.test' });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://www.EXAMPLE.test');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('adds no CORS headers to a request that is not an XHR (§2.3)', async () => {
    const res = await event('page_url=x', { 'x-requested-with': '' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers every OPTIONS with 204, CORS headers only with Origin + Access-Control-Request-Headers (§2.3)', async () => {
    const preflight = await fetch(`${standin.url}/mtc/event`, {
      method: 'OPTIONS', headers: { origin: 'https://shop.test', 'access-control-request-headers': 'x-requested-with' },
    });
    expect([preflight.status, await preflight.text()]).toEqual([204, '']);
    expect(corsOf(preflight)).toEqual(CORS_HEADERS);
    const bare = await fetch(`${standin.url}/any/path/at/all`, { method: 'OPTIONS', headers: { origin: 'https://shop.test' } });
    expect(bare.status).toBe(204);
    expect(bare.headers.get('access-control-allow-origin')).toBeNull();
    expect(await count(getDb(), 'leads')).toBe(0);
  });

  it('answers {"success":0} and writes nothing for a ct that is not an array (PublicControllerTest::testTrackingActionWithInvalidCt)', async () => {
    const res = await event('ct=Zm9v&page_url=x');
    expect([res.status, await res.json()]).toEqual([200, { success: 0 }]);
    expect(await count(getDb(), 'leads')).toBe(0);
  });

  it('answers id null for a bot and writes nothing (§2.4)', async () => {
    const res = await event('page_url=x', { 'user-agent': 'AhrefsBot/7.0' });
    expect(await res.json()).toEqual({ success: 1, id: null, sid: null, device_id: null, events: [] });
    expect(await count(getDb(), 'page_hits')).toBe(0);
  });

  it('GET /mtc tells who the visitor is and may create the contact (§3.4)', async () => {
    const res = await fetch(`${standin.url}/mtc`, { headers: { 'user-agent': BROWSER_UA } });
    const [lead] = await rows(getDb(), 'leads');
    const [device] = await rows(getDb(), 'lead_devices');
    expect(await res.json()).toEqual({ id: lead!.id, sid: device!.tracking_id, device_id: device!.tracking_id });
    expect(await count(getDb(), 'page_hits')).toBe(0);
    const again = await fetch(`${standin.url}/mtc`, { headers: { 'user-agent': BROWSER_UA, cookie: `mautic_device_id=${device!.tracking_id}` } });
    expect(((await again.json()) as { id: number }).id).toBe(lead!.id);
    expect(await count(getDb(), 'leads')).toBe(1);
  });

  it('POST /mtc is not a route: the landing-page catch-all answers 404 (§1.4)', async () => {
    expect((await fetch(`${standin.url}/mtc`, { method: 'POST' })).status).toBe(404);
  });

  it('GET /mtc.js serves the script, never creates a contact, re-issues cookies for a known device (§3.1)', async () => {
    const res = await fetch(`${standin.url}/mtc.js`, { headers: { 'user-agent': BROWSER_UA } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript');
    expect(res.headers.get('cache-control')).toBe('no-cache, private');
    const script = await res.text();
    expect(script).toContain('//127.0.0.1:8080');
    expect(script).toContain("'/mtc/event'");
    expect(script).toContain('(c) 2024');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await count(getDb(), 'leads')).toBe(0);

    const known = cookieValues(await fetch(`${standin.url}/mtc`, { headers: { 'user-agent': BROWSER_UA } }));
    const again = await fetch(`${standin.url}/mtc.js`, { headers: { 'user-agent': BROWSER_UA, cookie: `mautic_device_id=${known.mautic_device_id}` } });
    expect(cookieValues(again)).toEqual({ mautic_device_id: known.mautic_device_id, mtc_id: known.mtc_id });
  });
}, { realMautic: true });
