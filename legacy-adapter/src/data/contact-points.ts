import { LEAD_POINTS_CHANGE_LOG, POINT_LEAD_ACTION_LOG, POINTS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import { findLeadById } from './contacts.ts';
import { insertRow, selectOne, updateRows } from './table-access.ts';

/**
 * A contact's points: a change with its `lead_points_change_log` row, and the point actions of
 * type `form.submit` a submission earns (docs/mautic/public-http.md §4.2 "Otherwise" steps 5 and 8,
 * §4.5). The log's wording is our assumption (extracted-services/forms/README.md § Points).
 */

/** What `lead_points_change_log` records of a change. */
export interface PointsChange {
  ipId: number | null;
  type: string;
  eventName: string;
  actionName: string;
  /** UTC `Y-m-d H:i:s`. */
  when: string;
}

/** A `points` row (a point action). */
export interface PointAction {
  id: number;
  group_id: number | null;
  is_published: boolean;
  name: string;
  type: string;
  publish_up: string | null;
  publish_down: string | null;
  repeatable: boolean;
  delta: number;
  properties: unknown;
}

/**
 * Sets `leads.points` to `next(points)`, rounded, and logs the delta; nothing when it is 0.
 *
 * @returns the delta
 */
export async function changeContactPoints(db: Db, leadId: number, next: (points: number) => number, change: PointsChange): Promise<number> {
  const lead = await findLeadById(db, leadId);
  if (!lead) return 0;
  const delta = Math.round(next(lead.points)) - lead.points;
  if (delta === 0 || !Number.isSafeInteger(delta)) return 0;
  await db.execute(`UPDATE ${db.table('leads')} SET points = ? WHERE id = ?`, [lead.points + delta, leadId]);
  await insertRow(db, LEAD_POINTS_CHANGE_LOG, {
    lead_id: leadId, ip_id: change.ipId, type: change.type, event_name: change.eventName.slice(0, 191), action_name: change.actionName, delta, date_added: change.when,
  });
  return delta;
}

/** Inserts a point action (published, not repeatable, no properties unless given). @returns its id. */
export function insertPointAction(db: Db, values: Partial<Omit<PointAction, 'id'>> & Pick<PointAction, 'name' | 'type' | 'delta'>): Promise<number> {
  return insertRow(db, POINTS, { is_published: true, repeatable: false, properties: [], ...values });
}

/** The forms a `form.submit` point action names (`properties.forms`, ids); empty = any form. */
function formIdsOf(properties: unknown): number[] {
  const forms = properties && typeof properties === 'object' ? (properties as { forms?: unknown }).forms : undefined;
  const list = Array.isArray(forms) ? forms : forms && typeof forms === 'object' ? Object.values(forms) : [];
  return list.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
}

/**
 * Gives the contact every published `form.submit` point action in its window that names the
 * form (or no form): the delta on `leads.points` with its change log, and
 * `point_lead_action_log`. A non-repeatable action the contact was given before is skipped; a
 * point action of a point group is not run (group scores are not covered).
 */
export async function awardFormSubmitPoints(db: Db, formId: number, leadId: number, ipId: number | null, when: string): Promise<void> {
  const actions = await db.query<{ id: number }>(
    `SELECT id FROM ${db.table('points')} WHERE type = 'form.submit' AND is_published = 1 AND group_id IS NULL
        AND (publish_up IS NULL OR publish_up <= ?) AND (publish_down IS NULL OR publish_down > ?) ORDER BY id`,
    [when, when],
  );
  for (const { id } of actions) {
    const action = (await selectOne<PointAction>(db, POINTS, { id }))!;
    const forms = formIdsOf(action.properties);
    if (forms.length > 0 && !forms.includes(formId)) continue;
    const key = { point_id: id, lead_id: leadId };
    const given = await selectOne(db, POINT_LEAD_ACTION_LOG, key);
    if (given && !action.repeatable) continue;
    await changeContactPoints(db, leadId, (p) => p + action.delta, { ipId, type: 'form', eventName: `${id}: ${action.name}`, actionName: 'submit', when });
    if (given) await updateRows(db, POINT_LEAD_ACTION_LOG, key, { ip_id: ipId, date_fired: when });
    else await insertRow(db, POINT_LEAD_ACTION_LOG, { ...key, ip_id: ipId, date_fired: when });
  }
}
