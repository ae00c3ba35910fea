/**
 * Contract cases of `/r/{redirectId}` and `/redirect/{redirectId}`
 * (docs/mautic/public-http.md §3.5, §2.8).
 */
import { insertRedirect } from '../../../legacy-adapter/src/data/pages.ts';
import type { ContractCase } from '../contract-case.ts';
import { DEVICE_COOKIE, GOOGLEBOT_UA, REDIRECT_ID, REFERER_COOKIE, TEST_NOW_TEXT, browser, givenSentEmail, mtcIdCookie } from './fixtures.ts';

export const CLICK_CASES: ContractCase[] = [
  {
    name: 'click with ct: 302 with the query appended, hit for the ct contact, counters, email read',
    cite: '§3.5 steps 2–8, §2.8',
    given: (db) => givenSentEmail(db),
    request: (fx) => ({ path: `/r/${REDIRECT_ID}?ct=${fx.ct}&utm_source=news+letter`, headers: browser() }),
    expect: (fx) => ({
      status: 302,
      headers: { location: `https://shop.test/landing?ref=mail&x=1&ct=${fx.ct}&utm_source=news+letter#top`, 'content-type': 'text/html; charset=UTF-8' },
      cookies: [DEVICE_COOKIE, mtcIdCookie(fx.leadId!), REFERER_COOKIE],
      body: (b) => expect(b.toString()).toContain('Redirecting to <a href="https://shop.test/landing?ref=mail&amp;x=1&amp;ct='),
      rows: {
        leads: [{ id: fx.leadId }],
        page_hits: [{ lead_id: fx.leadId, redirect_id: fx.redirectPk, email_id: fx.emailId, source: 'email', source_id: fx.emailId, url: 'https://shop.test/landing?ref=mail&amp;x=1#top' }],
        page_redirects: [{ hits: 1, unique_hits: 1 }],
        channel_url_trackables: [{ hits: 1, unique_hits: 1 }],
        email_stats: [{ is_read: 1, date_read: TEST_NOW_TEXT, open_count: 1 }],
        emails: [{ read_count: 1 }],
        lead_event_log: [],
      },
    }),
  },
  {
    name: 'second click of the same device: hits 2, unique hits 1, still one read',
    cite: '§2.8 uniqueness',
    given: (db) => givenSentEmail(db),
    before: (fx) => [{ path: `/r/${REDIRECT_ID}?ct=${fx.ct}`, headers: browser() }],
    request: (fx) => ({ path: `/redirect/${REDIRECT_ID}?ct=${fx.ct}`, headers: browser() }),
    expect: () => ({
      status: 302,
      rows: { page_redirects: [{ hits: 2, unique_hits: 1 }], channel_url_trackables: [{ hits: 2, unique_hits: 1 }], emails: [{ read_count: 1 }], page_hits: [{}, {}] },
    }),
  },
  {
    name: 'click without ct: 302, no hit',
    cite: '§3.5 step 5',
    given: (db) => givenSentEmail(db, 'https://shop.test/'),
    request: () => ({ path: `/r/${REDIRECT_ID}`, headers: browser() }),
    expect: () => ({ status: 302, headers: { location: 'https://shop.test/' }, cookies: [], rows: { page_hits: [], page_redirects: [{ hits: 0 }] } }),
  },
  {
    name: 'click with an undecodable ct: 302, hit for a new anonymous contact, ct blanked in the query',
    cite: '§3.5 step 4 (testThatInvalidClickTroughGetsProcessed)',
    given: (db) => givenSentEmail(db, 'https://shop.test/'),
    request: () => ({ path: `/r/${REDIRECT_ID}?ct=dummy_click_through`, headers: browser() }),
    expect: (fx) => ({
      status: 302, headers: { location: 'https://shop.test/?ct=dummy_click_through' },
      rows: { leads: [{ id: fx.leadId }, { email: null }], page_hits: [{ lead_id: expect.any(Number), query: expect.stringContaining('s:2:"ct";s:0:"";') }] },
    }),
  },
  {
    name: 'click by a bot: 302, no hit, no token replaced',
    cite: '§2.4, §3.5 step 4',
    given: (db) => givenSentEmail(db, 'https://shop.test/?e={contactfield=email}'),
    request: (fx) => ({ path: `/r/${REDIRECT_ID}?ct=${fx.ct}`, headers: { 'user-agent': GOOGLEBOT_UA } }),
    expect: (fx) => ({ status: 302, headers: { location: `https://shop.test/?e=%7Bcontactfield%3Demail%7D&ct=${fx.ct}` }, cookies: [], rows: { page_hits: [], page_redirects: [{ hits: 0 }] } }),
  },
  {
    name: 'tracked click: contact field tokens replaced',
    cite: '§3.5 step 4',
    given: (db) => givenSentEmail(db, 'https://shop.test/?e={contactfield=email}'),
    request: (fx) => ({ path: `/r/${REDIRECT_ID}?ct=${fx.ct}`, headers: browser() }),
    expect: (fx) => ({ status: 302, headers: { location: `https://shop.test/?e=ana%40example.test&ct=${fx.ct}` } }),
  },
  {
    name: 'unknown redirect: Mautic 404 page',
    cite: '§3.5 step 1, §2.7',
    request: () => ({ path: '/r/ffffffffffffffffffffffff0', headers: browser() }),
    expect: () => ({
      status: 404, headers: { 'content-type': 'text/html; charset=UTF-8' },
      body: (b) => expect(b.toString()).toContain('Requested URL not found: n/a'), rows: { page_hits: [] },
    }),
  },
  {
    name: 'unknown redirect, JSON client: Mautic JSON error',
    cite: '§2.7',
    request: () => ({ path: '/r/nope', headers: browser({ accept: 'application/json' }) }),
    expect: () => ({ status: 404, body: { json: { errors: [{ message: 'Requested URL not found: n/a', code: 404, type: null }] } } }),
  },
  {
    name: 'unpublished redirect: 404',
    cite: '§3.5 step 1',
    given: async (db) => ({ pk: await insertRedirect(db, { redirect_id: 'aaaaaaaaaaaaaaaaaaaaaaaaa', url: 'https://shop.test/', is_published: false }) }),
    request: () => ({ path: '/r/aaaaaaaaaaaaaaaaaaaaaaaaa', headers: browser() }),
    expect: () => ({ status: 404, rows: { page_hits: [] } }),
  },
];
