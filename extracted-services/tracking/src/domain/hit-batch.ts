/**
 * Phase 2 of a batch of queued hits (docs/mautic/public-http.md §2.8) in a few statements
 * instead of a few per hit: the worker's drain rate is bounded by round trips to the
 * database, not by the work (bench/README.md, tracking rows). The rows are those
 * `completeHit` writes hit by hit:
 * - page hits (no redirect): one `SELECT … FOR UPDATE` locks the batch and tells which are
 *   still incomplete (`lead_id` NULL, the applied marker), one SELECT finds the `ct` emails,
 *   one UPDATE completes every row, one multi-row INSERT logs the new contacts, one UPDATE
 *   sets `date_left` of the hits they close;
 * - clicks go through `completeHit` one by one, after them: a click's `unique_hits` depends
 *   on the other hits on its redirect, so their order matters.
 * A hit named twice in a batch (a redelivery) is completed once. A hit with no committed row
 * is left out and returned: its request's transaction was still open or never committed
 * (the message is queued before the COMMIT, README § Phase 2 and the worker;
 * ../queue/unseen-hits.ts waits for it). Run it inside a transaction.
 */
import { insertLeadEvents } from '../../../../legacy-adapter/src/data/contacts.ts';
import { listExistingEmailIds } from '../../../../legacy-adapter/src/data/emails.ts';
import { lockHitStates, updatePageHits } from '../../../../legacy-adapter/src/data/pages.ts';
import type { TrackingContext } from './context.ts';
import type { HitCompletion } from './hit-completion.ts';
import { clickthroughEmailId, closedHitId, completeHit, completedColumns, creationEvent } from './page-hit.ts';

/**
 * Completes `hits` (in stream order).
 *
 * @returns the hits whose row does not exist (not committed), untouched.
 */
export async function completeHits(ctx: TrackingContext, hits: readonly HitCompletion[]): Promise<HitCompletion[]> {
  const { db } = ctx;
  const seen = new Set<number>();
  const pages: HitCompletion[] = [];
  const clicks: HitCompletion[] = [];
  for (const hit of hits) {
    if (seen.has(hit.hitId)) continue;
    seen.add(hit.hitId);
    (hit.redirectId === null ? pages : clicks).push(hit);
  }
  // Page hits and clicks in one locking read, in id order (the index's), so two batches lock alike.
  const states = await lockHitStates(db, [...seen].sort((a, b) => a - b));
  const unseen = [...pages, ...clicks].filter((h) => !states.has(h.hitId));
  const todo = pages.filter((h) => states.get(h.hitId) === false);
  if (todo.length > 0) {
    const emailIds = [...new Set(todo.map(clickthroughEmailId).filter((id): id is number => id !== null))];
    const emails = await listExistingEmailIds(db, emailIds);
    await updatePageHits(db, todo.map((h) => {
      const emailId = clickthroughEmailId(h);
      return { id: h.hitId, values: completedColumns(h, emailId !== null && emails.has(emailId)) };
    }));
    const events = todo.map(creationEvent).filter((e) => e !== null);
    if (events.length > 0) await insertLeadEvents(db, events);
    const closes = todo.map((h) => ({ id: closedHitId(h), values: { date_left: h.dateHit } })).filter((c): c is { id: number; values: { date_left: string } } => c.id !== null);
    if (closes.length > 0) await updatePageHits(db, closes);
  }
  for (const hit of clicks) if (states.has(hit.hitId)) await completeHit(ctx, hit);
  return unseen;
}
