/**
 * The counters of a click (docs/mautic/public-http.md §2.8, §3.5): `page_redirects.hits`
 * and `unique_hits`, the same on the `channel_url_trackables` row of the `ct`'s channel,
 * and EmailBundle's PageSubscriber: a click before any open counts as the open.
 */
import { findEmailStatByHash } from '../../../../legacy-adapter/src/data/emails.ts';
import { countRedirectHit, countTrackableHit, findTrackable, hasOtherHitOn } from '../../../../legacy-adapter/src/data/pages.ts';
import type { TrackingContext } from './context.ts';
import { recordOpen } from './email-open.ts';
import type { HitCompletion } from './hit-completion.ts';

/** Where the click came from, read from its `ct`. */
export interface ClickOrigin {
  source: string | null;
  sourceId: number | null;
  statHash: string | undefined;
}

/**
 * Counts the click of `hit` (its `redirectId` is set).
 *
 * @returns cookies of an open recorded on the way.
 */
export async function countClick(ctx: TrackingContext, hit: HitCompletion, origin: ClickOrigin): Promise<string[]> {
  const { db } = ctx;
  const redirectId = hit.redirectId!;
  const unique = !(await hasOtherHitOn(db, { redirectId }, { leadId: hit.leadId, trackingId: hit.trackingId }, hit.hitId));
  await countRedirectHit(db, redirectId, unique);
  const { source, sourceId } = origin;
  if (source !== null && sourceId !== null && (await findTrackable(db, redirectId, source, sourceId))) {
    await countTrackableHit(db, redirectId, source, sourceId, unique);
  }
  const stat = origin.statHash ? await findEmailStatByHash(db, origin.statHash) : undefined;
  if (!stat || stat.is_read) return [];
  return recordOpen(ctx, { storedIp: hit.storedIp, userAgent: hit.userAgent, now: new Date(`${hit.dateHit.replace(' ', 'T')}Z`) }, stat);
}
