/**
 * What an email open writes (EmailModel::hitEmail, docs/mautic/public-http.md
 * §3.6): `last_opened`, the first-open guard with `emails.read_count`, one
 * more `open_details` entry and `open_count`, `ip_id`, then the contact's
 * device, an `email_stats_devices` row and the tracking cookies. Used by
 * `/email/{idHash}.gif` and by a click that comes before any open (§2.8).
 */
import type { Request } from 'express';
import { getOrCreateIpAddressId } from '../../data/contacts.ts';
import { countEmail, countEmailVariantRead, findEmailById, insertEmailStatDevice, markEmailStatReadOnce, updateEmailStat } from '../../data/emails.ts';
import type { EmailStat } from '../../data/emails.ts';
import { toUtcDateTime } from '../../data/row-codec.ts';
import type { PhpValue } from '../../codecs/php-serialize.ts';
import { clockOf } from '../deps.ts';
import type { StandinDeps } from '../deps.ts';
import { inspectClient } from '../contact/client-ip.ts';
import { trackContact } from '../contact/contact-tracker.ts';

/** Mautic keeps at most this many `open_details` entries. */
export const MAX_OPEN_DETAILS = 1000;

/** Appends one open to `open_details`, keeping non-list keys such as `bounces`. */
export function appendOpenDetail(details: PhpValue, entry: Record<string, unknown>): PhpValue {
  if (Array.isArray(details)) return details.length >= MAX_OPEN_DETAILS ? details : [...details, entry as PhpValue];
  const map = details && typeof details === 'object' ? { ...details } : {};
  const indexes = Object.keys(map).filter((k) => /^[0-9]+$/.test(k)).map(Number);
  if (indexes.length >= MAX_OPEN_DETAILS) return map;
  const next = indexes.length === 0 ? 0 : Math.max(...indexes) + 1;
  return { ...map, [next]: entry as PhpValue };
}

/**
 * Records one open of `stat`.
 *
 * @returns Set-Cookie values for the stat's contact (empty when the stat has none).
 */
export async function recordEmailOpen(deps: StandinDeps, req: Request, stat: EmailStat, viaBrowser = false): Promise<string[]> {
  const { db, config } = deps;
  const now = clockOf(deps)();
  const nowText = toUtcDateTime(now);
  const client = inspectClient(req.headers, req.socket.remoteAddress, config);
  const ipId = await getOrCreateIpAddressId(db, client.stored);

  if ((await markEmailStatReadOnce(db, stat.id, nowText)) && stat.email_id !== null) {
    await countEmail(db, stat.email_id, 'read_count');
    const email = await findEmailById(db, stat.email_id);
    if (email?.variant_parent_id) await countEmailVariantRead(db, email.id);
  }
  await updateEmailStat(db, stat.id, {
    last_opened: nowText,
    open_count: (stat.open_count ?? 0) + 1,
    open_details: appendOpenDetail(stat.open_details, { datetime: nowText, useragent: req.get('user-agent') ?? '', inBrowser: viaBrowser }),
    ip_id: ipId,
    ...(viaBrowser ? { viewed_in_browser: true } : {}),
  });
  if (stat.lead_id === null) return [];

  const tracked = await trackContact(deps, req, { persist: false, query: new Map(), contactId: stat.lead_id });
  if (!tracked.device) return [];
  await insertEmailStatDevice(db, { stat_id: stat.id, device_id: tracked.device.id, ip_id: ipId, date_opened: nowText });
  return tracked.cookies;
}
