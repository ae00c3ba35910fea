/**
 * Shared facts of the tracking cases: the fixed clock's values, a browser and a bot, the
 * seeded email/redirect of click and open cases, and the clean-up between cases.
 */
import { encodeClickthrough } from '../../../legacy-adapter/src/codecs/ct.ts';
import { insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import { insertEmail, insertEmailStat } from '../../../legacy-adapter/src/data/emails.ts';
import { insertRedirect, insertTrackable } from '../../../legacy-adapter/src/data/pages.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { BROWSER_UA, TEST_NOW_TEXT, clearTrackingTables } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import type { Fixture } from '../contract-case.ts';

export { BROWSER_UA, TEST_NOW_TEXT };

/** A crawler both implementations know (Mautic's list and isbot). */
export const GOOGLEBOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
/** The 43-byte pixel (§2.6). */
export const GIF = Buffer.from('47494638396101000100900000ff000000000021f90405100000002c00000000010001000002020401003b', 'hex');
/** The GIF's headers for an HTTP/1.1 GET (§2.6). */
export const GIF_HEADERS = {
  'content-type': 'image/gif', 'content-length': '43', 'content-encoding': 'none', connection: 'close',
  expires: 'Wed, 11 Jan 2000 12:59:00 GMT', 'last-modified': 'Wed, 11 Jan 2006 12:59:00 GMT', pragma: 'no-cache',
  'cache-control': 'no-cache=Set-Cookie, private, proxy-revalidate',
};
/** The cookies of a newly tracked device and its hit, at the fixed clock (§2.2). */
export const DEVICE_COOKIE = 'mautic_device_id=*; expires=Fri, 24-Oct-2025 10:00:00 GMT; Max-Age=31536000; path=/; secure; samesite=none';
export const mtcIdCookie = (id: number | string): string => `mtc_id=${id}; path=/; secure; samesite=none`;
export const REFERER_COOKIE = 'mautic_referer_id=*; expires=Thu, 24-Oct-2024 10:30:00 GMT; Max-Age=1800; path=/; secure; samesite=none';

export const REDIRECT_ID = '0123456789abcdef012345678';
export const STAT_HASH = '65f1c0a2b3c4d812345678';

/** A browser request's headers. */
export const browser = (extra: Record<string, string> = {}): Record<string, string> => ({ 'user-agent': BROWSER_UA, ...extra });

/**
 * A contact with a sent email (stat `STAT_HASH`), a redirect to `url` tracked in that
 * email, and the email's `ct`. Fixture keys: leadId, emailId, statId, redirectPk, ct.
 */
export async function givenSentEmail(db: Db, url = 'https://shop.test/landing?ref=mail&amp;x=1#top'): Promise<Fixture> {
  const leadId = await insertLead(db, { email: 'ana@example.test', firstname: 'Ana', date_added: TEST_NOW_TEXT });
  const emailId = await insertEmail(db, { name: 'News', subject: 'Hi' });
  const statId = await insertEmailStat(db, { email_id: emailId, lead_id: leadId, email_address: 'ana@example.test', tracking_hash: STAT_HASH });
  const redirectPk = await insertRedirect(db, { redirect_id: REDIRECT_ID, url });
  await insertTrackable(db, { redirect_id: redirectPk, channel: 'email', channel_id: emailId });
  const ct = encodeClickthrough({ source: ['email', emailId], email: emailId, stat: STAT_HASH, lead: String(leadId), channel: { email: emailId } });
  return { leadId, emailId, statId, redirectPk, ct };
}

/** Every table tracking reads or writes (a dry run must leave them all as they were). */
export const TRACKING_TABLES = [
  'leads', 'lead_devices', 'ip_addresses', 'lead_ips_xref', 'lead_event_log', 'lead_fields', 'page_hits', 'page_redirects',
  'channel_url_trackables', 'emails', 'email_stats', 'email_stats_devices',
] as const;

/** Empties what tracking writes and reads, children first. */
export async function clearTrackingContract(db: Db): Promise<void> {
  await clearTrackingTables(db);
  await db.execute(`DELETE FROM ${db.table('lead_fields')}`);
}
