import { forEachDialect } from '../../../../test-support/databases.ts';
import { serializePhp } from '../../codecs/php-serialize.ts';
import type { RunningStandin } from '../server.ts';
import { BROWSER_UA, TEST_NOW_TEXT, clearTrackingTables, cookieValues, count, rows, startTestStandin } from '../standin-test-kit.ts';

const GIF_HEX = '47494638396101000100900000ff000000000021f90405100000002c00000000010001000002020401003b';

forEachDialect('stand-in /mtracking.gif', (getDb) => {
  let standin: RunningStandin;
  beforeAll(async () => {
    standin = await startTestStandin(getDb());
  });
  afterAll(() => standin.close());
  beforeEach(() => clearTrackingTables(getDb()));

  const pixel = (query: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${standin.url}/mtracking.gif${query}`, { ...init, headers: { 'user-agent': BROWSER_UA, ...(init.headers as Record<string, string>) } });

  it('answers GET with the 43-byte GIF and Mautic\'s headers (docs/mautic/public-http.md §2.6)', async () => {
    const res = await pixel('?page_url=https%3A%2F%2Fshop.test%2F');
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString('hex')).toBe(GIF_HEX);
    expect(Object.fromEntries(['content-type', 'content-length', 'content-encoding', 'connection', 'expires', 'last-modified', 'pragma', 'cache-control']
      .map((h) => [h, res.headers.get(h)]))).toEqual({
      'content-type': 'image/gif', 'content-length': '43', 'content-encoding': 'none', connection: 'close',
      expires: 'Wed, 11 Jan 2000 12:59:00 GMT', 'last-modified': 'Wed, 11 Jan 2006 12:59:00 GMT', pragma: 'no-cache',
      'cache-control': 'no-cache=Set-Cookie, private, proxy-revalidate',
    });
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers POST with one space as text/html and HEAD with no body (§2.6)', async () => {
    const post = await pixel('', { method: 'POST' });
    expect([post.status, post.headers.get('content-type'), await post.text()]).toEqual([200, 'text/html; charset=UTF-8', ' ']);
    expect(post.headers.get('expires')).toBeNull();
    const head = await pixel('', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/html; charset=UTF-8', '']);
    expect(await count(getDb(), 'page_hits')).toBe(2); // any method records the hit (§3.2)
  });

  it('sets the tracking cookies exactly (§2.2) and writes contact, device, IP and hit (§2.8)', async () => {
    const res = await pixel('?page_url=https%3A%2F%2Fshop.test%2Fp%3Futm_source%3DNews&page_title=Hello+%26+bye&page_language=de-DE&page_referrer=www.google.com', {
      headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' },
    });
    const db = getDb();
    const [lead] = await rows(db, 'leads');
    const [device] = await rows(db, 'lead_devices');
    const [hit] = await rows(db, 'page_hits');
    const [ip] = await rows(db, 'ip_addresses');
    expect(res.headers.getSetCookie()).toEqual([
      `mautic_device_id=${device!.tracking_id}; expires=Fri, 24-Oct-2025 10:00:00 GMT; Max-Age=31536000; path=/; secure; samesite=none`,
      `mtc_id=${lead!.id}; path=/; secure; samesite=none`,
      `mautic_referer_id=${hit!.id}; expires=Thu, 24-Oct-2024 10:30:00 GMT; Max-Age=1800; path=/; secure; samesite=none`,
    ]);
    expect(device!.tracking_id).toMatch(/^[0-9a-z]{23}$/);
    expect(lead).toMatchObject({ last_active: TEST_NOW_TEXT, date_added: TEST_NOW_TEXT, points: 0, email: null });
    expect(device).toMatchObject({ lead_id: lead!.id, device: 'desktop', device_os_name: 'Windows', device_os_shortname: 'WIN', device_os_platform: 'x64' });
    // §2.4: 127.0.0.1 is not a valid public IP, so Mautic falls back to 127.0.0.1 and stores it.
    expect(ip).toMatchObject({ ip_address: '127.0.0.1' });
    expect(await rows(db, 'lead_ips_xref', 'lead_id')).toEqual([{ lead_id: lead!.id, ip_id: ip!.id }]);
    expect(hit).toMatchObject({
      lead_id: lead!.id, ip_id: ip!.id, device_id: device!.id, tracking_id: device!.tracking_id, code: 200, date_hit: TEST_NOW_TEXT,
      url: 'https://shop.test/p?utm_source=News', url_title: 'Hello & bye', page_language: 'de-DE', referer: 'www.google.com',
      user_agent: BROWSER_UA, redirect_id: null, email_id: null, source: null, date_left: null,
      browser_languages: serializePhp(['de_DE', 'de', 'en']),
    });
    // Phase 2 stores the cleaned query: '&' becomes '&#38;', utm keys of page_url lifted (§2.8, §3.2).
    expect(hit!.query).toBe(serializePhp(new Map([
      ['page_url', 'https://shop.test/p?utm_source=News'], ['page_title', 'Hello &#38; bye'], ['page_language', 'de-DE'],
      ['page_referrer', 'www.google.com'], ['utm_source', 'News'],
    ])));
    const events = await rows(db, 'lead_event_log');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ lead_id: lead!.id, bundle: 'page', object: 'hit', action: 'created_contact', object_id: hit!.id });
  });

  it('recognises the returning device: no new contact, last hit closed (§2.1, §2.8)', async () => {
    const first = await pixel('?page_url=https%3A%2F%2Fshop.test%2Fa');
    const c = cookieValues(first);
    const second = await pixel('?page_url=https%3A%2F%2Fshop.test%2Fb', {
      headers: { cookie: `mautic_device_id=${c.mautic_device_id}; mtc_id=${c.mtc_id}; mautic_referer_id=${c.mautic_referer_id}` },
    });
    expect(second.status).toBe(200);
    const db = getDb();
    expect(await count(db, 'leads')).toBe(1);
    expect(await count(db, 'lead_devices')).toBe(1);
    const hits = await rows(db, 'page_hits');
    expect(hits.map((h) => [h.lead_id, h.date_left])).toEqual([[Number(c.mtc_id), TEST_NOW_TEXT], [Number(c.mtc_id), null]]);
    expect(cookieValues(second).mautic_device_id).toBe(c.mautic_device_id);
    expect(await count(db, 'lead_event_log')).toBe(1);
  });

  it('takes the device id from the mautic_device_id parameter when there is no cookie (§2.1 step 4)', async () => {
    const first = cookieValues(await pixel(''));
    await pixel(`?mautic_device_id=${first.mautic_device_id}`);
    expect(await count(getDb(), 'leads')).toBe(1);
  });

  it('records nothing for a bot, still answers the GIF without cookies (§2.4)', async () => {
    const res = await fetch(`${standin.url}/mtracking.gif`, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)' } });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect([await count(getDb(), 'leads'), await count(getDb(), 'page_hits')]).toEqual([0, 0]);
  });

  it('answers 500 for a ct that is not a serialized array, writing nothing (§3.2 edge case)', async () => {
    const res = await pixel('?ct=Zm9v');
    expect(res.status).toBe(500);
    expect(res.headers.get('x-standin-error')).toBe('STANDIN_ERR_CT_NOT_ARRAY');
    expect(await res.text()).toContain('Looks like I encountered an error (error #500).');
    expect(await count(getDb(), 'leads')).toBe(0);
  });

  it('survives absurd and non-UTF-8 parameters: 200, VARCHAR(191) columns cut (§2.8)', async () => {
    const long = 'x'.repeat(5000);
    const res = await pixel(`?page_title=${long}&page_language=%FF%FE&a[b][c]=1&%E0=%C3%28&page_url=%00`);
    expect(res.status).toBe(200);
    const [hit] = await rows(getDb(), 'page_hits');
    expect(String(hit!.url_title)).toHaveLength(191);
    expect(hit!.page_language).toBe('\uFFFD\uFFFD');
  });
}, { realMautic: true });
