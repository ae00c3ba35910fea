/**
 * One email open (EmailModel::hitEmail, docs/mautic/public-http.md §3.6): `last_opened`,
 * the first-open guard with `emails.read_count` (and `variant_read_count`), one more
 * `open_details` entry and `open_count`, `ip_id`; then the contact's device, an
 * `email_stats_devices` row and the tracking cookies. Used by `/email/{hash}.gif` and by
 * a click that comes before any open (§2.8).
 */
import type { PhpValue } from '../../../../legacy-adapter/src/codecs/php-serialize.ts';
import { getOrCreateIpAddressId } from '../../../../legacy-adapter/src/data/contacts.ts';
import { countEmail, countEmailVariantRead, findEmailById, insertEmailStatDevice, markEmailStatReadOnce, updateEmailStat } from '../../../../legacy-adapter/src/data/emails.ts';
import type { EmailStat } from '../../../../legacy-adapter/src/data/emails.ts';
import { toUtcDateTime } from '../../../../legacy-adapter/src/data/row-codec.ts';
import { trackKnownContact } from '../../../service-kit/visitor/contact.ts';
import type { TrackingContext } from './context.ts';
import { headerOf } from '../../../service-kit/visitor/tracking-request.ts';
import type { TrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';
import { inspectVisitor } from '../../../service-kit/visitor/visitor.ts';

/** Mautic keeps at most this many `open_details` entries; later opens still count. */
export const OPEN_DETAILS_LIMIT = 1000;

/**
 * `open_details` with one more entry. It is a PHP list, or (after a bounce) a map that
 * also holds keys such as `bounces`: the entry goes to the next free integer key.
 */
export function withOpenDetail(details: PhpValue, entry: Record<string, PhpValue>): PhpValue {
  if (Array.isArray(details)) return details.length < OPEN_DETAILS_LIMIT ? [...details, entry] : details;
  const map: Record<string, PhpValue> = details !== null && typeof details === 'object' ? { ...details } : {};
  const used = Object.keys(map).filter((k) => /^[0-9]+$/.test(k)).map(Number);
  if (used.length >= OPEN_DETAILS_LIMIT) return map;
  map[String(used.length === 0 ? 0 : Math.max(...used) + 1)] = entry;
  return map;
}

/** What an open records about the opener: plain data, so a worker can record it later. */
export interface Opener {
  /** `ip_addresses.ip_address` to link (the address, or `*.*.*.*`). */
  storedIp: string;
  userAgent: string;
  now: Date;
}

/** The opener of a live request. */
export function openerOf(ctx: TrackingContext, request: TrackingRequest): Opener {
  return { storedIp: inspectVisitor(request, ctx.config.mautic, ctx.config.botDetector).storedIp, userAgent: headerOf(request, 'user-agent'), now: request.now };
}

/**
 * Records one open of `stat`.
 *
 * @returns Set-Cookie values for the stat's contact (none when the stat has no contact).
 */
export async function recordOpen(ctx: TrackingContext, opener: Opener, stat: EmailStat): Promise<string[]> {
  const { db } = ctx;
  const nowText = toUtcDateTime(opener.now);
  const ipId = await getOrCreateIpAddressId(db, opener.storedIp);
  const firstOpen = await markEmailStatReadOnce(db, stat.id, nowText);
  if (firstOpen && stat.email_id !== null) {
    await countEmail(db, stat.email_id, 'read_count');
    if ((await findEmailById(db, stat.email_id))?.variant_parent_id) await countEmailVariantRead(db, stat.email_id);
  }
  await updateEmailStat(db, stat.id, {
    last_opened: nowText,
    open_count: (stat.open_count ?? 0) + 1,
    open_details: withOpenDetail(stat.open_details, { datetime: nowText, useragent: opener.userAgent, inBrowser: false }),
    ip_id: ipId,
  });
  if (stat.lead_id === null) return [];
  const tracked = await trackKnownContact(ctx, stat.lead_id, opener.userAgent, opener.now);
  if (!tracked) return [];
  await insertEmailStatDevice(db, { stat_id: stat.id, device_id: tracked.device.id, ip_id: ipId, date_opened: nowText });
  return tracked.cookies;
}
