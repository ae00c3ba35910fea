/**
 * Contract cases of hostile or broken input (issue #12 "Bad input"): each gets Mautic's
 * answer, nothing crashes, and a hit that Mautic would keep is kept.
 */
import type { ContractCase } from '../contract-case.ts';
import { GIF, REDIRECT_ID, browser, givenSentEmail } from './fixtures.ts';

export const BAD_INPUT_CASES: ContractCase[] = [
  {
    name: 'a 100 KB query string: the web server\'s 414, nothing written',
    cite: '§1.2',
    request: () => ({ path: `/mtracking.gif?page_title=${'x'.repeat(100_000)}`, headers: browser() }),
    expect: () => ({ status: 414, cookies: [], rows: { leads: [], page_hits: [] } }),
  },
  {
    name: 'a 5,000-character title: the GIF, the hit kept, VARCHAR(191) columns cut',
    cite: '§2.8, §3.2',
    request: () => ({ path: `/mtracking.gif?page_title=${'x'.repeat(5000)}&page_url=https%3A%2F%2Fshop.test%2F`, headers: browser() }),
    expect: () => ({ status: 200, body: GIF, rows: { page_hits: [{ url_title: 'x'.repeat(191), url: 'https://shop.test/' }] } }),
  },
  {
    name: 'bytes that are not UTF-8 and nested parameters: the GIF, replacement characters stored',
    cite: '§2.8, §3.2',
    request: () => ({ path: '/mtracking.gif?page_language=%FF%FE&a[b][c]=1&%E0=%C3%28&page_url=%00', headers: browser() }),
    expect: () => ({ status: 200, body: GIF, rows: { page_hits: [{ page_language: '\uFFFD\uFFFD' }] } }),
  },
  {
    name: 'duplicated and huge cookies: the first of a name wins, an absurd device id names nobody',
    cite: '§2.1 step 4, §2.2',
    request: () => ({ path: '/mtc', headers: browser({ cookie: `mautic_device_id=${'z'.repeat(6000)}; mautic_device_id=other; mtc_id=abc` }) }),
    expect: () => ({ status: 200, body: { json: expect.objectContaining({ id: expect.any(Number) }) }, rows: { leads: [{}] } }),
  },
  {
    name: 'a device cookie that names no device: a new contact',
    cite: '§2.1 step 4',
    request: () => ({ path: '/mtc', headers: browser({ cookie: 'mautic_device_id=doesnotexist0000000000000' }) }),
    expect: () => ({ status: 200, rows: { leads: [{}], lead_devices: [{}] } }),
  },
  {
    name: 'a serialized object in ct: 500, nothing written',
    cite: '§2.5 step 5',
    request: () => ({ path: `/mtracking.gif?ct=${encodeURIComponent(Buffer.from('a:1:{i:0;O:8:"stdClass":0:{}}').toString('base64'))}`, headers: browser() }),
    expect: () => ({ status: 500, rows: { leads: [], page_hits: [] } }),
  },
  {
    name: 'a redirect id of 5000 characters or a broken %-sequence: 404',
    cite: '§3.5 step 1',
    given: (db) => givenSentEmail(db),
    request: () => ({ path: `/r/${REDIRECT_ID}${'x'.repeat(5000)}`, headers: browser() }),
    expect: () => ({ status: 404, rows: { page_hits: [] } }),
  },
  {
    name: 'a broken %-sequence in a redirect id: 404',
    cite: '§1.5, §3.5 step 1',
    request: () => ({ path: '/r/%E0%A4%A', headers: browser() }),
    expect: () => ({ status: 404 }),
  },
];
