/**
 * `PageModel::hitPage` with Mautic 5's default `sync://` hit transport
 * (docs/mautic/public-http.md §2.8): phase 1 INSERTs a minimal `page_hits` row and
 * issues `mautic_referer_id`; phase 2 runs in the same request and UPDATEs the
 * row with everything else, closes the previous hit, counts redirect and
 * trackable hits, logs a new contact on its timeline and marks an unread
 * email stat read on a click. Not reproduced: lead_utmtags, tags, companies,
 * audit_log, campaign/points listeners, geo lookup, timezone from offset.
 */
import type { Request } from 'express';
import type { PhpValue } from '../../codecs/php-serialize.ts';
import { insertLeadEvent } from '../../data/contacts.ts';
import { findEmailById, findEmailStatByHash } from '../../data/emails.ts';
import { countRedirectHit, countTrackableHit, findTrackable, hasOtherHitOn, insertPageHit, updatePageHit } from '../../data/pages.ts';
import type { Redirect } from '../../data/pages.ts';
import { toUtcDateTime } from '../../data/row-codec.ts';
import { clockOf } from '../deps.ts';
import type { StandinDeps } from '../deps.ts';
import type { TrackedContact } from '../contact/contact-tracker.ts';
import { parseCookieHeader } from '../../codecs/request-cookies.ts';
import { refererCookie } from '../../codecs/tracking-cookies.ts';
import { recordEmailOpen } from './email-open.ts';
import { cleanHitQuery } from '../../codecs/hit-query.ts';
import type { HitQuery } from '../../codecs/hit-query.ts';
import { browserLanguages, emailIdFromClickthrough, limit191, sourceFromClickthrough } from '../../codecs/hit-source.ts';

/** What is being hit. */
export interface HitTarget {
  /** HTTP status recorded in `page_hits.code` (200, or 404 for unknown landing pages). */
  code: number;
  /** The redirect of a click, if this is one. */
  redirect?: Redirect;
  /** The hit query from buildHitQuery (`ct` decoded, `page_url` set). */
  query: HitQuery;
}

/** The recorded hit. */
export interface RecordedHit {
  hitId: number;
  /** Set-Cookie values: `mautic_referer_id`, plus device cookies of an email stat's contact. */
  cookies: string[];
}

// A Map is a PHP array to the row codec; the row types only know plain values.
const stringOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const clickthroughOf = (query: HitQuery): Record<string, unknown> | undefined => {
  const ct = query.get('ct');
  return ct && typeof ct === 'object' && !(ct instanceof Map) ? (ct as Record<string, unknown>) : undefined;
};

/**
 * Records a hit for a tracked contact. The caller has checked that there is
 * one (`tracked.lead` and `tracked.device` set): Mautic stops when the contact has no id.
 */
export async function recordPageHit(deps: StandinDeps, req: Request, tracked: TrackedContact, target: HitTarget): Promise<RecordedHit> {
  const { db, config } = deps;
  const lead = tracked.lead!;
  const device = tracked.device!;
  const nowText = toUtcDateTime(clockOf(deps)());

  // Phase 1: the minimal row.
  const hitId = await insertPageHit(db, {
    date_hit: nowText, ip_id: tracked.ip.id, query: target.query as unknown as PhpValue, code: target.code, tracking_id: device.trackingId, device_id: device.id,
  });
  const cookies = [refererCookie(config, hitId, clockOf(deps)())];

  // Phase 2.
  const ct = clickthroughOf(target.query);
  const { source, sourceId } = sourceFromClickthrough(ct);
  const ctEmailId = emailIdFromClickthrough(ct);
  const emailId = ctEmailId !== null && (await findEmailById(db, ctEmailId)) ? ctEmailId : null;
  const url = stringOf(target.query.get('page_url')) ?? null;
  await updatePageHit(db, hitId, {
    redirect_id: target.redirect?.id ?? null,
    lead_id: lead.id,
    email_id: emailId,
    source,
    source_id: sourceId,
    referer: stringOf(target.query.get('page_referrer')) ?? req.get('referer') ?? null,
    page_language: limit191(stringOf(target.query.get('page_language'))),
    url_title: limit191(stringOf(target.query.get('page_title'))),
    url,
    user_agent: req.get('user-agent') ?? null,
    browser_languages: browserLanguages(req.get('accept-language')),
    query: cleanHitQuery(target.query) as unknown as PhpValue,
  });
  if (tracked.isNewContact) {
    const object = target.redirect ? 'redirect' : 'hit';
    await insertLeadEvent(db, {
      lead_id: lead.id, bundle: 'page', object, action: 'created_contact', object_id: target.redirect?.id ?? hitId,
      date_added: nowText, properties: { object_description: url ?? '' },
    });
  }
  const previousHit = parseCookieHeader(req.headers.cookie).get('mautic_referer_id');
  if (!device.isNew && previousHit && /^[0-9]{1,15}$/.test(previousHit) && Number(previousHit) !== hitId) {
    await updatePageHit(db, Number(previousHit), { date_left: nowText });
  }
  if (target.redirect) cookies.push(...(await countClick(deps, req, target.redirect, hitId, tracked, ct, source, sourceId)));
  return { hitId, cookies };
}

async function countClick(
  deps: StandinDeps, req: Request, redirect: Redirect, hitId: number, tracked: TrackedContact,
  ct: Record<string, unknown> | undefined, source: string | null, sourceId: number | null,
): Promise<string[]> {
  const { db } = deps;
  const unique = !(await hasOtherHitOn(db, { redirectId: redirect.id }, { leadId: tracked.lead!.id, trackingId: tracked.device!.trackingId }, hitId));
  await countRedirectHit(db, redirect.id, unique);
  if (source !== null && sourceId !== null && (await findTrackable(db, redirect.id, source, sourceId))) {
    await countTrackableHit(db, redirect.id, source, sourceId, unique);
  }
  // EmailBundle's PageSubscriber: a click before any open counts as the open.
  const hash = typeof ct?.stat === 'string' ? ct.stat : undefined;
  const stat = hash ? await findEmailStatByHash(db, hash) : undefined;
  return stat && !stat.is_read ? recordEmailOpen(deps, req, stat) : [];
}
