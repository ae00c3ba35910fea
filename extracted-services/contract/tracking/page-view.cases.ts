/**
 * Contract cases of `/mtracking.gif`, `/mtc/event`, `GET /mtc` and `/mtc.js`
 * (docs/mautic/public-http.md §2.1–2.6, §3.1–3.4).
 */
import { encodeClickthrough } from '../../../legacy-adapter/src/codecs/ct.ts';
import { serializePhp } from '../../../legacy-adapter/src/codecs/php-serialize.ts';
import { insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import { insertEmail, insertEmailStat } from '../../../legacy-adapter/src/data/emails.ts';
import { insertLeadField } from '../../../legacy-adapter/src/data/lead-fields.ts';
import type { ContractCase } from '../contract-case.ts';
import { BROWSER_UA, DEVICE_COOKIE, GIF, GIF_HEADERS, GOOGLEBOT_UA, REFERER_COOKIE, TEST_NOW_TEXT, browser, mtcIdCookie } from './fixtures.ts';

const PRICING = '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fp%3Futm_source%3DNews&page_title=Hello+%26+bye&page_language=de-DE&page_referrer=www.google.com';
const anyId = expect.any(Number);
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
const IPAD_UA = 'Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
const HEADLESS_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36';

export const PAGE_VIEW_CASES: ContractCase[] = [
  {
    name: 'pixel GET: the GIF, the cookies and the rows of a new visitor',
    cite: '§2.2, §2.6, §2.8, §3.2',
    request: () => ({ path: PRICING, headers: browser({ 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' }) }),
    expect: () => ({
      status: 200, headers: GIF_HEADERS, cookies: [DEVICE_COOKIE, 'mtc_id=*; path=/; secure; samesite=none', REFERER_COOKIE], body: GIF,
      rows: {
        leads: [{ date_added: TEST_NOW_TEXT, last_active: TEST_NOW_TEXT, points: 0, email: null }],
        lead_devices: [{ device: 'desktop', device_os_name: 'Windows', device_os_shortname: 'WIN', device_os_platform: 'x64', tracking_id: expect.stringMatching(/^[0-9a-z]{23}$/) }],
        ip_addresses: [{ ip_address: '127.0.0.1' }],
        lead_ips_xref: [{ lead_id: anyId, ip_id: anyId }],
        page_hits: [{
          code: 200, date_hit: TEST_NOW_TEXT, date_left: null, url: 'https://shop.test/p?utm_source=News', url_title: 'Hello & bye',
          page_language: 'de-DE', referer: 'www.google.com', user_agent: BROWSER_UA, redirect_id: null, email_id: null, source: null,
          browser_languages: serializePhp(['de_DE', 'de', 'en']),
          query: serializePhp(new Map([
            ['page_url', 'https://shop.test/p?utm_source=News'], ['page_title', 'Hello &#38; bye'], ['page_language', 'de-DE'],
            ['page_referrer', 'www.google.com'], ['utm_source', 'News'],
          ])),
        }],
        lead_event_log: [{ bundle: 'page', object: 'hit', action: 'created_contact' }],
      },
    }),
  },
  {
    name: 'pixel POST: one space as text/html, the hit recorded',
    cite: '§2.6, §3.2',
    request: () => ({ method: 'POST', path: '/mtracking.gif', headers: browser() }),
    expect: () => ({ status: 200, headers: { 'content-type': 'text/html; charset=UTF-8', expires: null }, body: ' ', rows: { page_hits: [{ code: 200 }] } }),
  },
  {
    name: 'pixel HEAD: no body, the hit recorded',
    cite: '§2.6, §3.2',
    request: () => ({ method: 'HEAD', path: '/mtracking.gif', headers: browser() }),
    expect: () => ({ status: 200, headers: { 'content-type': 'text/html; charset=UTF-8' }, body: '', rows: { page_hits: [{ code: 200 }] } }),
  },
  {
    name: 'pixel: a returning device keeps its contact and closes the previous hit',
    cite: '§2.1 step 4, §2.8',
    before: () => [{ path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fa', headers: browser() }],
    request: () => ({ path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fb', headers: browser() }),
    expect: () => ({
      status: 200, cookies: [DEVICE_COOKIE, 'mtc_id=*; path=/; secure; samesite=none', REFERER_COOKIE],
      rows: {
        leads: [{ last_active: TEST_NOW_TEXT }], lead_devices: [{}], lead_event_log: [{ action: 'created_contact' }],
        page_hits: [{ url: 'https://shop.test/a', date_left: TEST_NOW_TEXT }, { url: 'https://shop.test/b', date_left: null }],
      },
    }),
  },
  {
    // Matomo DeviceDetector's names, through device-detector-js on both sides (codecs/user-agent.ts).
    name: 'pixel: an Android phone\'s device row names its maker, model, OS and browser',
    cite: '§2.1, §6',
    request: () => ({ path: '/mtracking.gif', headers: { 'user-agent': ANDROID_UA } }),
    expect: () => ({
      status: 200,
      rows: {
        lead_devices: [{
          device: 'smartphone', device_brand: 'Samsung', device_model: 'SM-S918B', device_os_name: 'Android', device_os_shortname: 'AND',
          device_os_version: '14.0', device_os_platform: null,
          client_info: serializePhp({ type: 'browser', name: 'Chrome Mobile', short_name: 'CM', version: '120.0', engine: 'Blink', engine_version: '' }),
        }],
        page_hits: [{ user_agent: ANDROID_UA }],
      },
    }),
  },
  {
    name: 'pixel: a returning contact on an iPad gets a second device row, a tablet',
    cite: '§2.1, §6',
    before: () => [{ path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fa', headers: browser() }],
    request: () => ({ path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fb', headers: { 'user-agent': IPAD_UA } }),
    expect: () => ({
      status: 200, cookies: [DEVICE_COOKIE, 'mtc_id=*; path=/; secure; samesite=none', REFERER_COOKIE],
      rows: {
        leads: [{}],
        lead_devices: [
          { device: 'desktop', device_brand: null, device_model: null, device_os_name: 'Windows', device_os_version: '10.0' },
          { device: 'tablet', device_brand: 'Apple', device_model: 'iPad', device_os_name: 'iOS', device_os_shortname: 'IOS', device_os_version: '17.1' },
        ],
      },
    }),
  },
  {
    name: 'pixel: a bot gets the GIF, no cookies, no rows',
    cite: '§2.4',
    request: () => ({ path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F', headers: { 'user-agent': GOOGLEBOT_UA } }),
    expect: () => ({ status: 200, body: GIF, cookies: [], rows: { leads: [], page_hits: [], lead_devices: [] } }),
  },
  {
    // Mautic's list names `curl` (and wget, python-requests, Go-http-client…): a substring test.
    name: 'pixel: curl is a bot by Mautic\'s own list: the GIF, no cookies, no rows',
    cite: '§2.4',
    request: () => ({ path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F', headers: { 'user-agent': 'curl/8.5.0' } }),
    expect: () => ({ status: 200, body: GIF, cookies: [], rows: { leads: [], page_hits: [], lead_devices: [] } }),
  },
  {
    // No name of Mautic's list is in it, so Mautic tracks it (a detector such as isbot would not).
    name: 'pixel: a headless browser is no bot to Mautic: tracked like any visitor',
    cite: '§2.4',
    request: () => ({ path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F', headers: { 'user-agent': HEADLESS_UA } }),
    expect: () => ({
      status: 200, body: GIF, cookies: [DEVICE_COOKIE, 'mtc_id=*; path=/; secure; samesite=none', REFERER_COOKIE],
      rows: { leads: [{ last_active: TEST_NOW_TEXT }], page_hits: [{ url: 'https://shop.test/', user_agent: HEADLESS_UA }] },
    }),
  },
  {
    name: 'pixel: a do-not-track IP gets the GIF, no cookies, no rows',
    cite: '§2.4',
    settings: { doNotTrackIps: ['198.51.100.0/24'] },
    request: () => ({ path: '/mtracking.gif', headers: browser({ 'x-forwarded-for': '198.51.100.20' }) }),
    expect: () => ({ status: 200, body: GIF, cookies: [], rows: { leads: [], page_hits: [], ip_addresses: [] } }),
  },
  {
    name: 'pixel: anonymize_ip stores *.*.*.* for the first public forwarded address',
    cite: '§2.4',
    settings: { anonymizeIp: true },
    request: () => ({ path: '/mtracking.gif', headers: browser({ 'x-forwarded-for': '203.0.113.7, 10.0.0.1' }) }),
    expect: () => ({ status: 200, rows: { ip_addresses: [{ ip_address: '*.*.*.*' }], page_hits: [{ code: 200 }] } }),
  },
  {
    name: 'pixel: a ct that is not a serialized array is a 500 and writes nothing',
    cite: '§3.2 edge case, §2.5',
    request: () => ({ path: '/mtracking.gif?ct=Zm9v', headers: browser() }),
    expect: () => ({
      status: 500, headers: { 'content-type': 'text/html; charset=UTF-8' }, cookies: [],
      body: (b) => expect(b.toString()).toContain('Looks like I encountered an error (error #500).'),
      rows: { leads: [], page_hits: [] },
    }),
  },
  {
    name: 'pixel: the ct stat identifies the email contact; source and email set from ct',
    cite: '§2.1 step 2, §2.5, §2.8',
    given: async (db) => {
      const leadId = await insertLead(db, { email: 'ana@example.test', date_added: TEST_NOW_TEXT });
      const emailId = await insertEmail(db, { name: 'News' });
      await insertEmailStat(db, { email_id: emailId, lead_id: leadId, email_address: 'ana@example.test', tracking_hash: 'h1' });
      return { leadId, emailId, ct: encodeClickthrough({ source: ['email', emailId], email: emailId, stat: 'h1', channel: { email: emailId } }) };
    },
    request: (fx) => ({ path: `/mtracking.gif?ct=${fx.ct}`, headers: browser() }),
    expect: (fx) => ({
      status: 200, cookies: [DEVICE_COOKIE, mtcIdCookie(fx.leadId!), REFERER_COOKIE],
      rows: { leads: [{ id: fx.leadId, last_active: TEST_NOW_TEXT }], page_hits: [{ lead_id: fx.leadId, email_id: fx.emailId, source: 'email', source_id: fx.emailId }], lead_event_log: [] },
    }),
  },
  {
    name: '/mtc/event: JSON with the contact and device; CORS headers for an XHR from a valid origin',
    cite: '§2.3, §3.3',
    settings: { corsValidDomains: ['https://shop.test'] },
    request: () => ({
      method: 'POST', path: '/mtc/event', body: 'page_url=https%3A%2F%2Fshop.test%2F&page_title=Home',
      headers: browser({ 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'XMLHttpRequest', origin: 'https://shop.test' }),
    }),
    expect: () => ({
      status: 200,
      headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'https://shop.test', 'access-control-allow-credentials': 'true', 'access-control-max-age': '36000' },
      cookies: [DEVICE_COOKIE, 'mtc_id=*; path=/; secure; samesite=none', REFERER_COOKIE],
      body: { json: { success: 1, id: anyId, sid: expect.stringMatching(/^[0-9a-z]{23}$/), device_id: expect.stringMatching(/^[0-9a-z]{23}$/), events: [] } },
      rows: { page_hits: [{ url: 'https://shop.test/', url_title: 'Home' }] },
    }),
  },
  {
    name: '/mtc/event: an invalid origin gets an empty Allow-Origin',
    cite: '§2.3',
    request: () => ({ method: 'POST', path: '/mtc/event', headers: browser({ 'x-requested-with': 'XMLHttpRequest', origin: 'https://evil.test' }) }),
    expect: () => ({ status: 200, headers: { 'access-control-allow-origin': '' } }),
  },
  {
    name: '/mtc/event: a ct that is not an array answers {"success":0} and writes nothing',
    cite: '§3.3',
    request: () => ({ method: 'POST', path: '/mtc/event', body: 'ct=Zm9v', headers: browser({ 'content-type': 'application/x-www-form-urlencoded' }) }),
    expect: () => ({ status: 200, body: { json: { success: 0 } }, cookies: [], rows: { leads: [], page_hits: [] } }),
  },
  {
    name: '/mtc/event: publicly updatable identifier fields find the contact and write its values',
    cite: '§2.1 step 3',
    given: async (db) => {
      await insertLeadField(db, { label: 'Email', alias: 'email', type: 'email', is_publicly_updatable: true, is_unique_identifer: true });
      await insertLeadField(db, { label: 'City', alias: 'city', is_publicly_updatable: true });
      return { leadId: await insertLead(db, { email: 'ana@example.test', date_added: TEST_NOW_TEXT }) };
    },
    request: () => ({ method: 'POST', path: '/mtc/event', body: 'email=ana%40example.test&city=Oslo&firstname=Eve', headers: browser({ 'content-type': 'application/x-www-form-urlencoded' }) }),
    expect: (fx) => ({ status: 200, body: { json: expect.objectContaining({ success: 1, id: fx.leadId }) }, rows: { leads: [{ id: fx.leadId, city: 'Oslo', firstname: null }] } }),
  },
  {
    name: 'OPTIONS on any tracking path: 204, CORS headers for a valid preflight',
    cite: '§2.3',
    settings: { corsValidDomains: ['https://*.shop.test'] },
    request: () => ({ method: 'OPTIONS', path: '/mtc/event', headers: { origin: 'https://www.shop.test', 'access-control-request-headers': 'content-type' } }),
    expect: () => ({ status: 204, headers: { 'access-control-allow-origin': 'https://www.shop.test', vary: 'Origin' }, body: '', rows: { leads: [] } }),
  },
  {
    name: 'GET /mtc: creates the anonymous contact and answers who it is',
    cite: '§3.4',
    request: () => ({ path: '/mtc', headers: browser() }),
    expect: () => ({
      status: 200, headers: { 'content-type': 'application/json' }, cookies: [DEVICE_COOKIE, 'mtc_id=*; path=/; secure; samesite=none'],
      body: { json: { id: anyId, sid: expect.stringMatching(/^[0-9a-z]{23}$/), device_id: expect.stringMatching(/^[0-9a-z]{23}$/) } },
      rows: { leads: [{ last_active: TEST_NOW_TEXT }], page_hits: [] },
    }),
  },
  {
    name: 'GET /mtc.js: the script, non-trackable (no contact, no cookies)',
    cite: '§3.1',
    request: () => ({ path: '/mtc.js', headers: browser() }),
    expect: () => ({
      status: 200, headers: { 'content-type': 'application/javascript' }, cookies: [],
      body: (b) => expect(b.toString()).toContain("'/mtc/event'"), rows: { leads: [], lead_devices: [] },
    }),
  },
];
