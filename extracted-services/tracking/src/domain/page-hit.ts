/**
 * `PageModel::hitPage` split as Mautic splits it (docs/mautic/public-http.md §2.8):
 * phase 1, in the request, INSERTs the minimal `page_hits` row and issues
 * `mautic_referer_id`; phase 2 (`completeHit`) fills the row in, closes the previous hit,
 * counts redirect and trackable hits, logs a new contact on its timeline and marks an
 * unread email stat read on a click. Phase 2 takes only `HitCompletion`, plain data, so it
 * can run in the request or later (hit-batch.ts completes the worker's batches).
 */
import { cleanHitQuery } from '../../../../legacy-adapter/src/codecs/hit-query.ts';
import type { HitQuery } from '../../../../legacy-adapter/src/codecs/hit-query.ts';
import { browserLanguages, emailIdFromClickthrough, limit191, sourceFromClickthrough } from '../../../../legacy-adapter/src/codecs/hit-source.ts';
import type { PhpValue } from '../../../../legacy-adapter/src/codecs/php-serialize.ts';
import { refererCookie } from '../../../../legacy-adapter/src/codecs/tracking-cookies.ts';
import { insertLeadEvents } from '../../../../legacy-adapter/src/data/contacts.ts';
import type { LeadEvent, Writable } from '../../../../legacy-adapter/src/data/contacts.ts';
import { findEmailById } from '../../../../legacy-adapter/src/data/emails.ts';
import { insertPageHit, lockIncompleteHit, updatePageHit } from '../../../../legacy-adapter/src/data/pages.ts';
import type { PageHit } from '../../../../legacy-adapter/src/data/pages.ts';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
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
 * When phase 2 runs inline (no queue, as `sync://`), the row is inserted complete: the same
 * row as Mautic's INSERT then UPDATE in one statement, and no lock to take on it.
 *
 * @returns the completion for phase 2 and the `mautic_referer_id` cookie.
 */
export async function startHit(
  ctx: TrackingContext, request: TrackingRequest, tracked: TrackedVisitor, target: { code: number; query: HitQuery; redirectId?: number },
): Promise<{ completion: HitCompletion; cookie: string }> {
  const device = tracked.device!;
  const dateHit = toUtcDateTime(request.now);
  const completion: HitCompletion = {
    hitId: 0, leadId: tracked.lead!.id, trackingId: device.trackingId, isNewContact: tracked.isNewContact, isNewDevice: device.isNew,
    redirectId: target.redirectId ?? null, query: target.query, userAgent: headerOf(request, 'user-agent'),
    acceptLanguage: headerOf(request, 'accept-language'), refererHeader: headerOf(request, 'referer'),
    previousHitId: positiveId(request.cookies.get('mautic_referer_id')), dateHit, storedIp: tracked.visitor.storedIp,
  };
  const inline = ctx.deferHit === undefined;
  const completed = inline ? completedColumns(completion, await emailExists(ctx.db, completion)) : {};
  completion.hitId = await insertPageHit(ctx.db, {
    date_hit: dateHit, ip_id: tracked.ipId, query: target.query as unknown as PhpValue, code: target.code, tracking_id: device.trackingId, device_id: device.id,
    ...completed,
  });
  return { completion, cookie: refererCookie(ctx.config.mautic, completion.hitId, request.now) };
}

/** Phase 2 where the context sends it: deferred to the queue, or now (the row was inserted complete). */
export function finishHit(ctx: TrackingContext, hit: HitCompletion): Promise<string[]> {
  return ctx.deferHit ? ctx.deferHit(hit) : completeHit(ctx, hit, { rowComplete: true });
}

/** The email id of the hit's `ct`, when there is one. */
export function clickthroughEmailId(hit: HitCompletion): number | null {
  return emailIdFromClickthrough(clickthroughIn(hit.query));
}

async function emailExists(db: Db, hit: HitCompletion): Promise<boolean> {
  const id = clickthroughEmailId(hit);
  return id !== null && (await findEmailById(db, id)) !== undefined;
}

/**
 * The columns phase 2 writes on the hit's own row (processPageHit).
 *
 * @param emailExists whether the `ct`'s email exists (`email_id` stays NULL otherwise).
 */
export function completedColumns(hit: HitCompletion, emailExists: boolean): Writable<PageHit> {
  const { source, sourceId } = sourceFromClickthrough(clickthroughIn(hit.query));
  return {
    redirect_id: hit.redirectId, lead_id: hit.leadId,
    email_id: emailExists ? clickthroughEmailId(hit) : null,
    source, source_id: sourceId,
    referer: textOf(hit.query.get('page_referrer')) ?? (hit.refererHeader || null),
    page_language: limit191(textOf(hit.query.get('page_language'))),
    url_title: limit191(textOf(hit.query.get('page_title'))),
    url: textOf(hit.query.get('page_url')) ?? null, user_agent: hit.userAgent || null,
    browser_languages: browserLanguages(hit.acceptLanguage || undefined),
    query: cleanHitQuery(hit.query) as unknown as PhpValue,
  };
}

/** The timeline entry of a contact this hit created, if it did. */
export function creationEvent(hit: HitCompletion): Writable<LeadEvent> | null {
  if (!hit.isNewContact) return null;
  return {
    lead_id: hit.leadId, bundle: 'page', object: hit.redirectId !== null ? 'redirect' : 'hit', action: 'created_contact',
    object_id: hit.redirectId ?? hit.hitId, date_added: hit.dateHit, properties: { object_description: textOf(hit.query.get('page_url')) ?? '' },
  };
}

/** The previous hit this one closes (`date_left`), if any. */
export function closedHitId(hit: HitCompletion): number | null {
  return !hit.isNewDevice && hit.previousHitId !== null && hit.previousHitId !== hit.hitId ? hit.previousHitId : null;
}

/**
 * Phase 2 (processPageHit). Idempotent: a hit already completed (a redelivered message)
 * is left alone, so counters never count twice. Run it inside a transaction.
 *
 * @param options.rowComplete the hit's row was inserted complete by this transaction (inline phase 2).
 * @returns the cookies of an open a click recorded on the way (§2.8); [] when the hit was already complete.
 */
export async function completeHit(ctx: TrackingContext, hit: HitCompletion, options: { rowComplete?: boolean } = {}): Promise<string[]> {
  const { db } = ctx;
  if (!options.rowComplete) {
    if (!(await lockIncompleteHit(db, hit.hitId))) return [];
    await updatePageHit(db, hit.hitId, completedColumns(hit, await emailExists(db, hit)));
  }
  const event = creationEvent(hit);
  // Its id is not read: the INSERT rides with the transaction's next statement or its COMMIT.
  if (event) await insertLeadEvents(db, [event], { later: true });
  const closed = closedHitId(hit);
  if (closed !== null) await updatePageHit(db, closed, { date_left: hit.dateHit });
  return hit.redirectId === null ? [] : clickCounts(ctx, hit);
}

/** The click counters of a completed hit with a `redirectId`. */
export function clickCounts(ctx: TrackingContext, hit: HitCompletion): Promise<string[]> {
  const ct = clickthroughIn(hit.query);
  const { source, sourceId } = sourceFromClickthrough(ct);
  return countClick(ctx, hit, { source, sourceId, statHash: typeof ct?.stat === 'string' ? ct.stat : undefined });
}
