/**
 * Contract cases of `/email/{idHash}.gif` (docs/mautic/public-http.md §3.6).
 */
import type { ContractCase } from '../contract-case.ts';
import { DEVICE_COOKIE, GIF, GIF_HEADERS, GOOGLEBOT_UA, STAT_HASH, TEST_NOW_TEXT, browser, givenSentEmail, mtcIdCookie } from './fixtures.ts';

export const EMAIL_OPEN_CASES: ContractCase[] = [
  {
    name: 'open of a known stat: GIF, first-open counters, open details, device of the contact',
    cite: '§3.6',
    given: (db) => givenSentEmail(db),
    request: () => ({ path: `/email/${STAT_HASH}.gif`, headers: browser() }),
    expect: (fx) => ({
      status: 200, headers: GIF_HEADERS, body: GIF, cookies: [DEVICE_COOKIE, mtcIdCookie(fx.leadId!)],
      rows: {
        email_stats: [{ is_read: 1, date_read: TEST_NOW_TEXT, last_opened: TEST_NOW_TEXT, open_count: 1, open_details: expect.stringContaining('s:9:"useragent"') }],
        emails: [{ read_count: 1 }],
        email_stats_devices: [{ stat_id: fx.statId, date_opened: TEST_NOW_TEXT }],
        lead_devices: [{ lead_id: fx.leadId }],
        page_hits: [],
      },
    }),
  },
  {
    name: 'second open: open_count 2, read_count stays 1',
    cite: '§3.6 step 3–4',
    given: (db) => givenSentEmail(db),
    before: () => [{ path: `/email/${STAT_HASH}.gif`, headers: browser() }],
    request: () => ({ path: `/email/${STAT_HASH}.gif`, headers: browser() }),
    expect: () => ({ status: 200, rows: { email_stats: [{ open_count: 2 }], emails: [{ read_count: 1 }], email_stats_devices: [{}, {}], lead_devices: [{}] } }),
  },
  {
    name: 'open by a bot still counts (Mautic 5.1 filters no bots here)',
    cite: '§2.4, §3.6',
    given: (db) => givenSentEmail(db),
    request: () => ({ path: `/email/${STAT_HASH}.gif`, headers: { 'user-agent': GOOGLEBOT_UA } }),
    expect: () => ({ status: 200, body: GIF, rows: { email_stats: [{ open_count: 1 }], emails: [{ read_count: 1 }] } }),
  },
  {
    name: 'unknown hash: the GIF all the same, nothing written',
    cite: '§3.6',
    request: () => ({ path: '/email/doesnotexist.gif', headers: browser() }),
    expect: () => ({ status: 200, headers: GIF_HEADERS, body: GIF, cookies: [], rows: { email_stats_devices: [], ip_addresses: [] } }),
  },
];
