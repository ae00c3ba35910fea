/**
 * `PageModel::hitPage` split as Mautic splits it (docs/mautic/public-http.md §2.8):
 * phase 1, in the request, INSERTs the minimal `page_hits` row and issues
 * `mautic_referer_id`; phase 2 (`completeHit`) fills the row in, closes the previous hit,
 * counts redirect and trackable hits, logs a new contact on its timeline and marks an
 * unread email stat read on a click. Phase 2 takes only `HitCompletion`, plain data, so it
 * can run in the request or later.
 */
import { cleanHitQuery } from '../../../../legacy-adapter/src/codecs/hit-query.ts';
import type { HitQuery } from '../../../../legacy-adapter/src/codecs/hit-query.ts';
import { browserLanguages, emailIdFromClickthrough, limit191, sourceFromClickthrough } from '../../../../legacy-adapter/src/codecs/hit-source.ts';
import type { PhpValue } from '../../../../legacy-adapter/src/codecs/php-serialize.ts';
import { refererCookie } from '../../../../legacy-adapter/src/codecs/tracking-cookies.ts';
import { insertLeadEvent } from '../../../../legacy-adapter/src/data/contacts.ts';
import { findEmailById } from '../../../../legacy-adapter/src/data/emails.ts';
import { insertPageHit, lockIncompleteHit, updatePageHit } from '../../../../legacy-adapter/src/data/pages.ts';
import { toUtcDateTime } from '../../../../legacy-adapter/src/data/row-codec.ts';
import { countClick } from './click-counters.ts';
import type { TrackedVisitor } from '../../../service-kit/visitor/contact.ts';
import type { TrackingContext } from './context.ts';
import type { HitCompletion } from './hit-completion.ts';

export type { HitCompletion } from './hit-completion.ts';
import { positiveId } from '../../../service-kit/visitor/identify.ts';
import { headerOf } from '../../../service-kit/visitor/tracking-request.ts';
import type { TrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';

const textOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const clickthroughIn = (query: HitQuery): Record<string, unknown> | undefined => {
  const ct = query.get('ct');
  return ct !== null && typeof ct === 'object' && !(ct instanceof Map) ? (ct as Record<string, unknown>) : undefined;
};

/**
 * Phase 1 for a tracked visitor (the caller checked `tracked.lead` and `tracked.device`).
 *
 * @returns the completion for phase 2 and the `mautic_referer_id` cookie.
 */
export async function startHit(
  ctx: TrackingContext, request: TrackingRequest, tracked: TrackedVisitor, target: { code: number; query: HitQuery; redirectId?: number },
): Promise<{ completion: HitCompletion; cookie: string }> {
  const device = tracked.device!;
  const dateHit = toUtcDateTime(request.now);
  const hitId = await insertPageHit(ctx.db, {
    date_hit: dateHit, ip_id: tracked.ipId, query: target.query as unknown as PhpValue, code: target.code, tracking_id: device.trackingId, device_id: device.id,
  });
  const completion: HitCompletion = {
    hitId, leadId: tracked.lead!.id, trackingId: device.trackingId, isNewContact: tracked.isNewContact, isNewDevice: device.isNew,
    redirectId: target.redirectId ?? null, query: target.query, userAgent: headerOf(request, 'user-agent'),
    acceptLanguage: headerOf(request, 'accept-language'), refererHeader: headerOf(request, 'referer'),
    previousHitId: positiveId(request.cookies.get('mautic_referer_id')), dateHit, storedIp: tracked.visitor.storedIp,
  };
  return { completion, cookie: refererCookie(ctx.config.mautic, hitId, request.now) };
}

/** Phase 2 where the context sends it: deferred to the queue, or now. */
export function finishHit(ctx: TrackingContext, hit: HitCompletion): Promise<string[]> {
  return ctx.deferHit ? ctx.deferHit(hit) : completeHit(ctx, hit);
}

/**
 * Phase 2 (processPageHit). Idempotent: a hit already completed (a redelivered message)
 * is left alone, so counters never count twice. Run it inside a transaction.
 *
 * @returns the cookies of an open a click recorded on the way (§2.8); [] when the hit was already complete.
 */
export async function completeHit(ctx: TrackingContext, hit: HitCompletion): Promise<string[]> {
  const { db } = ctx;
  if (!(await lockIncompleteHit(db, hit.hitId))) return [];
  const ct = clickthroughIn(hit.query);
  const { source, sourceId } = sourceFromClickthrough(ct);
  const ctEmail = emailIdFromClickthrough(ct);
  const url = textOf(hit.query.get('page_url')) ?? null;
  await updatePageHit(db, hit.hitId, {
    redirect_id: hit.redirectId, lead_id: hit.leadId,
    email_id: ctEmail !== null && (await findEmailById(db, ctEmail)) ? ctEmail : null,
    source, source_id: sourceId,
    referer: textOf(hit.query.get('page_referrer')) ?? (hit.refererHeader || null),
    page_language: limit191(textOf(hit.query.get('page_language'))),
    url_title: limit191(textOf(hit.query.get('page_title'))),
    url, user_agent: hit.userAgent || null,
    browser_languages: browserLanguages(hit.acceptLanguage || undefined),
    query: cleanHitQuery(hit.query) as unknown as PhpValue,
  });
  if (hit.isNewContact) {
    await insertLeadEvent(db, {
      lead_id: hit.leadId, bundle: 'page', object: hit.redirectId !== null ? 'redirect' : 'hit', action: 'created_contact',
      object_id: hit.redirectId ?? hit.hitId, date_added: hit.dateHit, properties: { object_description: url ?? '' },
    });
  }
  if (!hit.isNewDevice && hit.previousHitId !== null && hit.previousHitId !== hit.hitId) {
    await updatePageHit(db, hit.previousHitId, { date_left: hit.dateHit });
  }
  if (hit.redirectId === null) return [];
  return countClick(ctx, hit, { source, sourceId, statHash: typeof ct?.stat === 'string' ? ct.stat : undefined });
}
