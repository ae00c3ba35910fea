import type { PhpValue } from '../codecs/php-serialize.ts';
import { CHANNEL_URL_TRACKABLES, PAGE_HITS, PAGE_REDIRECTS } from '../db/schema/index.ts';
import { isDbError } from '../db/errors.ts';
import type { Db } from '../db/types.ts';
import type { AuditColumns } from './audit-columns.ts';
import type { Writable } from './contact-rows.ts';
import { utcNow } from './row-codec.ts';
import { insertRow, updateRowsById, quote, selectOne, selectRows, updateRows } from './table-access.ts';

/** A `page_hits` row: a page view, tracking-pixel hit or redirect click. */
export interface PageHit {
  id: number;
  page_id: number | null;
  redirect_id: number | null;
  email_id: number | null;
  lead_id: number | null;
  ip_id: number | null;
  device_id: number | null;
  date_hit: string;
  date_left: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  isp: string | null;
  organization: string | null;
  /** HTTP status of the hit. */
  code: number;
  referer: string | null;
  url: string | null;
  url_title: string | null;
  user_agent: string | null;
  remote_host: string | null;
  page_language: string | null;
  browser_languages: PhpValue;
  tracking_id: string;
  source: string | null;
  source_id: number | null;
  query: PhpValue;
}

/** A `page_redirects` row: a tracked link `/r/{redirect_id}`. */
export interface Redirect extends AuditColumns {
  id: number;
  redirect_id: string;
  url: string;
  hits: number;
  unique_hits: number;
}

/** A `channel_url_trackables` row: a tracked link inside one channel item (e.g. an email). */
export interface Trackable {
  channel_id: number;
  redirect_id: number;
  channel: string;
  hits: number;
  unique_hits: number;
}

/** Inserts a hit (`date_hit` now, `code` 200 unless given; `tracking_id` is required). @returns its id. */
export function insertPageHit(db: Db, values: Writable<PageHit> & { tracking_id: string }): Promise<number> {
  return insertRow(db, PAGE_HITS, { date_hit: utcNow(), code: 200, ...values });
}

/** The hit with this id, or undefined. */
export function findPageHitById(db: Db, id: number): Promise<PageHit | undefined> {
  return selectOne<PageHit>(db, PAGE_HITS, { id });
}

/** The hits of a contact, oldest first. */
export function listPageHitsForLead(db: Db, leadId: number): Promise<PageHit[]> {
  return selectRows<PageHit>(db, PAGE_HITS, { lead_id: leadId }, 'ORDER BY id');
}

/** Inserts a redirect (published, 0 hits, `date_added` now unless given). @returns its id. */
export function insertRedirect(db: Db, values: Writable<Redirect> & { redirect_id: string; url: string }): Promise<number> {
  return insertRow(db, PAGE_REDIRECTS, { is_published: true, hits: 0, unique_hits: 0, date_added: utcNow(), ...values });
}

/** The redirect with this public id (the `{redirect_id}` of `/r/{redirect_id}`), or undefined. */
export function findRedirectByRedirectId(db: Db, redirectId: string): Promise<Redirect | undefined> {
  return selectOne<Redirect>(db, PAGE_REDIRECTS, { redirect_id: redirectId });
}

/** Adds one hit (and one unique hit when `unique`) to a redirect. */
export async function countRedirectHit(db: Db, id: number, unique: boolean): Promise<void> {
  const hits = quote(db, 'hits');
  const uniqueHits = quote(db, 'unique_hits');
  await db.execute(`UPDATE ${db.table('page_redirects')} SET ${hits} = ${hits} + 1, ${uniqueHits} = ${uniqueHits} + ? WHERE id = ?`, [unique ? 1 : 0, id]);
}

/** Inserts a trackable (0 hits). */
export async function insertTrackable(db: Db, values: Writable<Trackable> & Pick<Trackable, 'redirect_id' | 'channel' | 'channel_id'>): Promise<void> {
  await insertRow(db, CHANNEL_URL_TRACKABLES, { hits: 0, unique_hits: 0, ...values });
}

/** The trackable of a redirect in one channel item, or undefined. */
export function findTrackable(db: Db, redirectId: number, channel: string, channelId: number): Promise<Trackable | undefined> {
  return selectOne<Trackable>(db, CHANNEL_URL_TRACKABLES, { redirect_id: redirectId, channel, channel_id: channelId });
}

/** The trackables of one channel item (e.g. channel 'email', channel id = emails.id). */
export function listTrackables(db: Db, channel: string, channelId: number): Promise<Trackable[]> {
  return selectRows<Trackable>(db, CHANNEL_URL_TRACKABLES, { channel, channel_id: channelId }, 'ORDER BY redirect_id');
}

/** Adds one hit (and one unique hit when `unique`) to a trackable. */
export async function countTrackableHit(db: Db, redirectId: number, channel: string, channelId: number, unique: boolean): Promise<void> {
  const hits = quote(db, 'hits');
  const uniqueHits = quote(db, 'unique_hits');
  await db.execute(
    `UPDATE ${db.table('channel_url_trackables')} SET ${hits} = ${hits} + 1, ${uniqueHits} = ${uniqueHits} + ? WHERE redirect_id = ? AND channel = ? AND channel_id = ?`,
    [unique ? 1 : 0, redirectId, channel, channelId],
  );
}

/** Updates columns of a hit (phase 2 of hit processing, docs/mautic/public-http.md §2.8). @returns rows changed. (Added by the tracking stand-in.) */
export function updatePageHit(db: Db, id: number, values: Writable<PageHit>): Promise<number> {
  return updateRows(db, PAGE_HITS, { id }, values);
}

/**
 * Whether another hit (not `excludeHitId`) of the same contact or tracking id exists on the
 * same page or redirect: Mautic's uniqueness test for the `unique_hits` counters (§2.8).
 * (Added by the tracking stand-in.)
 */
export async function hasOtherHitOn(
  db: Db,
  target: { pageId?: number; redirectId?: number },
  visitor: { leadId: number | null; trackingId: string },
  excludeHitId: number,
): Promise<boolean> {
  const column = target.redirectId !== undefined ? 'redirect_id' : 'page_id';
  const targetId = target.redirectId ?? target.pageId ?? 0;
  const rows = await db.query(
    `SELECT id FROM ${db.table('page_hits')} WHERE ${quote(db, column)} = ? AND id <> ? AND (${quote(db, 'tracking_id')} = ? OR lead_id = ?) LIMIT 1`,
    [targetId, excludeHitId, visitor.trackingId, visitor.leadId ?? -1],
  );
  return rows.length > 0;
}

/** The oldest redirect to exactly this URL, or undefined; sends reuse it for the same link (§5.5). (Added by the sending stand-in.) */
export async function findRedirectByUrl(db: Db, url: string): Promise<Redirect | undefined> {
  const [redirect] = await selectRows<Redirect>(db, PAGE_REDIRECTS, { url }, 'ORDER BY id LIMIT 1');
  return redirect;
}

/**
 * The redirect to exactly this URL that already has a trackable in this channel item
 * (TrackableModel::getTrackableByUrl), or undefined. (Added by the sending stand-in.)
 */
export async function findTrackedRedirectByUrl(db: Db, url: string, channel: string, channelId: number): Promise<Redirect | undefined> {
  const [row] = await db.query<{ id: number }>(
    `SELECT r.id FROM ${db.table('page_redirects')} r JOIN ${db.table('channel_url_trackables')} t ON t.redirect_id = r.id
      WHERE r.${quote(db, 'url')} = ? AND t.channel = ? AND t.channel_id = ? ORDER BY r.id LIMIT 1`,
    [url, channel, channelId],
  );
  return row ? selectOne<Redirect>(db, PAGE_REDIRECTS, { id: Number(row.id) }) : undefined;
}

/**
 * Whether a landing page (`pages` row) with this id exists. `migrate` does not create `pages`
 * (schema/index.ts UNCOVERED_REFERENCES): on a database without it this throws
 * `DbError` `DB_QUERY_FAILED`. (Added by the forms stand-in.)
 */
export async function landingPageExists(db: Db, id: number): Promise<boolean> {
  try {
    const rows = await db.query(`SELECT id FROM ${db.table('pages')} WHERE id = ?`, [id]);
    return rows.length > 0;
  } catch (err) {
    // Our own schema has no `pages` (landing pages are made in Mautic's admin); a real install does.
    if (isDbError(err, 'DB_TABLE_MISSING')) return false;
    throw err;
  }
}

/**
 * The slug of landing page `id` (docs/mautic/public-http.md §1.4: pages live at `/{slug}`): its
 * alias, behind its locale when it belongs to a translation group; undefined when there is no
 * such page or no `pages` table (our own schema). `cat_in_page_url` is not read (Mautic's default
 * leaves the category out).
 */
export async function landingPageSlug(db: Db, id: number): Promise<string | undefined> {
  const pages = db.table('pages');
  try {
    const [page] = await db.query<{ alias: string; lang: string | null; translation_parent_id: number | null; children: number | string }>(
      `SELECT p.alias, p.lang, p.translation_parent_id, (SELECT COUNT(*) FROM ${pages} c WHERE c.translation_parent_id = p.id) AS children FROM ${pages} p WHERE p.id = ?`,
      [id],
    );
    if (!page) return undefined;
    const translated = page.translation_parent_id !== null || Number(page.children) > 0;
    return translated && page.lang ? `${page.lang}/${page.alias}` : page.alias;
  } catch (err) {
    if (isDbError(err, 'DB_TABLE_MISSING')) return undefined;
    throw err;
  }
}

/**
 * The absolute URLs of the landing pages `ids` under `siteUrl` (no trailing slash), by id;
 * pages that do not exist are left out. What `{pagelink=ID}` tokens become.
 *
 * @example
 * await landingPageUrls(db, [4], 'https://m.test') // Map { 4 => 'https://m.test/spring-offer' }
 */
export async function landingPageUrls(db: Db, ids: readonly number[], siteUrl: string): Promise<Map<number, string>> {
  const urls = new Map<number, string>();
  for (const id of ids) {
    const slug = await landingPageSlug(db, id);
    if (slug !== undefined) urls.set(id, `${siteUrl.replace(/\/+$/, '')}/${slug}`);
  }
  return urls;
}

/**
 * Locks a hit for phase 2 (docs/mautic/public-http.md §2.8) and says whether phase 2 is
 * still to do: phase 1 leaves `lead_id` NULL and phase 2 sets it, in one transaction, so
 * a set `lead_id` marks the completion as applied (a redelivered message then changes
 * nothing). MySQL locks the row (`FOR UPDATE`) until the caller's transaction ends; SQLite
 * serialises transactions anyway. (Added by the tracking service.)
 */
export async function lockIncompleteHit(db: Db, id: number): Promise<boolean> {
  const lock = db.dialect === 'mysql' ? ' FOR UPDATE' : '';
  const rows = await db.query<{ lead_id: number | null }>(`SELECT lead_id FROM ${db.table('page_hits')} WHERE id = ?${lock}`, [id]);
  return rows.length === 1 && rows[0]!.lead_id === null;
}

/**
 * `lockIncompleteHit` for a batch, in one statement: locks the hits and returns the ids of
 * those whose phase 2 is still to do (`lead_id` NULL). (Added by the tracking worker.)
 */
export async function lockIncompleteHits(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const lock = db.dialect === 'mysql' ? ' FOR UPDATE' : '';
  const rows = await db.query<{ id: number; lead_id: number | null }>(`SELECT id, lead_id FROM ${db.table('page_hits')} WHERE id IN (${ids.map(() => '?').join(', ')})${lock}`, ids);
  return new Set(rows.filter((r) => r.lead_id === null).map((r) => Number(r.id)));
}

/**
 * Locks the hits and tells, for each that exists, whether its phase 2 is done (`lead_id`
 * set); an id missing from the map has no committed row. On MySQL/MariaDB the locking read
 * waits for a row whose INSERT is not committed yet (its inserter holds its lock), so it
 * answers only once that transaction committed or rolled back. (Added by the tracking worker.)
 */
export async function lockHitStates(db: Db, ids: readonly number[]): Promise<Map<number, boolean>> {
  if (ids.length === 0) return new Map();
  const lock = db.dialect === 'mysql' ? ' FOR UPDATE' : '';
  const rows = await db.query<{ id: number; lead_id: number | null }>(`SELECT id, lead_id FROM ${db.table('page_hits')} WHERE id IN (${ids.map(() => '?').join(', ')})${lock}`, ids);
  return new Map(rows.map((r) => [Number(r.id), r.lead_id !== null]));
}

/** `updatePageHit` for a batch, in one statement (each row its own values). @returns rows changed. (Added by the tracking worker.) */
export function updatePageHits(db: Db, rows: readonly { id: number; values: Writable<PageHit> }[]): Promise<number> {
  return updateRowsById(db, PAGE_HITS, rows);
}
