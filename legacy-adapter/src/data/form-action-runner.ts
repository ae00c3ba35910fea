import { LEAD_LISTS_LEADS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import { addContactToCampaign, addContactToFormCampaigns, findLiveCampaign, removeContactFromCampaign } from './campaigns.ts';
import { addContactToCompany, findCompanyById, type CompanyChange } from './companies.ts';
import { awardFormSubmitPoints, changeContactPoints } from './contact-points.ts';
import { listFormActions } from './form-actions.ts';
import { addLeadToSegment, findSegmentById } from './segments.ts';
import { findTagById, findTagByName, insertTag, tagContact, untagContact } from './tags.ts';
import { updateRows } from './table-access.ts';

/**
 * The form actions a submission runs (docs/mautic/public-http.md §4.2 "Otherwise" step 5, §4.5):
 * tags, points, segments, company and campaigns, on the submission's contact, inside its transaction.
 * docs/mautic names the actions and their tables but not their `properties`: the shapes read
 * here, and what a missing tag, segment or company does, are our assumptions
 * (extracted-services/forms/README.md § Form actions). Other action types are not run.
 * Shared by the stand-in and the forms service.
 */

/** What an action needs to know of the submission. */
export interface ActionContext {
  form: { id: number; name: string };
  leadId: number;
  ipId: number | null;
  /** UTC `Y-m-d H:i:s`. */
  when: string;
}

type Props = Record<string, unknown>;

const asProps = (value: unknown): Props => (value && typeof value === 'object' ? (value as Props) : {});
/** A list property: an array, or a `{ key: value }` map read as its values; anything else is empty. */
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : []);
/** A positive integer id (a number or a string of digits), or undefined. */
function idOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined;
}

/** `lead.changetags`: `add_tags` / `remove_tags`, each entry a tag id or a tag name (a new name is created when added). */
async function changeTags(db: Db, props: Props, ctx: ActionContext): Promise<void> {
  const resolve = async (entry: unknown, create: boolean): Promise<number | undefined> => {
    const id = idOf(entry);
    if (id !== undefined) return (await findTagById(db, id))?.id;
    const name = typeof entry === 'string' ? entry.trim() : '';
    if (!name) return undefined;
    return (await findTagByName(db, name))?.id ?? (create ? insertTag(db, name) : undefined);
  };
  for (const entry of listOf(props.add_tags)) {
    const tagId = await resolve(entry, true);
    if (tagId !== undefined) await tagContact(db, ctx.leadId, tagId);
  }
  for (const entry of listOf(props.remove_tags)) {
    const tagId = await resolve(entry, false);
    if (tagId !== undefined) await untagContact(db, ctx.leadId, tagId);
  }
}

const OPERATORS: Record<string, (points: number, by: number) => number> = {
  plus: (p, by) => p + by,
  minus: (p, by) => p - by,
  times: (p, by) => p * by,
  divide: (p, by) => p / by,
};

/** `lead.pointschange`: `operator` (plus, minus, times, divide; default plus) and `points`; logged in `lead_points_change_log`. */
async function changePoints(db: Db, props: Props, ctx: ActionContext): Promise<void> {
  const by = Number(props.points);
  const operate = OPERATORS[String(props.operator ?? 'plus')];
  if (!operate || !Number.isFinite(by) || String(props.points ?? '').trim() === '' || (props.operator === 'divide' && by === 0)) return;
  await changeContactPoints(db, ctx.leadId, (points) => operate(points, by), {
    ipId: ctx.ipId, type: 'form', eventName: `${ctx.form.id}: ${ctx.form.name}`, actionName: 'submit', when: ctx.when,
  });
}

/** `lead.changelist`: `addToLists` / `removeFromLists`, segment ids; a manual change Mautic's rebuild keeps. */
async function changeSegments(db: Db, props: Props, ctx: ActionContext): Promise<void> {
  for (const entry of listOf(props.addToLists)) {
    const segment = idOf(entry) === undefined ? undefined : await findSegmentById(db, idOf(entry)!);
    if (!segment) continue;
    const added = await addLeadToSegment(db, segment.id, ctx.leadId, { date_added: ctx.when, manually_added: true });
    if (!added) await updateRows(db, LEAD_LISTS_LEADS, { leadlist_id: segment.id, lead_id: ctx.leadId, manually_removed: 1 }, { manually_removed: false, manually_added: true });
  }
  for (const entry of listOf(props.removeFromLists)) {
    const id = idOf(entry);
    if (id !== undefined) await updateRows(db, LEAD_LISTS_LEADS, { leadlist_id: id, lead_id: ctx.leadId }, { manually_removed: true, manually_added: false });
  }
}

/** How a form's company changes are logged in `lead_companies_change_log` (an action's, and the company-mapped fields'). */
export function companyChangeOf(form: { id: number; name: string }, when: string): CompanyChange {
  return { type: 'form', eventName: `${form.id}: ${form.name}`.slice(0, 191), actionName: 'added', when };
}

/** `lead.addtocompany`: `company`, a company id; it becomes the contact's primary company. */
async function addToCompany(db: Db, props: Props, ctx: ActionContext): Promise<void> {
  const id = idOf(props.company);
  const company = id === undefined ? undefined : await findCompanyById(db, id);
  if (!company) return;
  await addContactToCompany(db, company, ctx.leadId, companyChangeOf(ctx.form, ctx.when));
}

/** `campaign.addremovelead`: `addTo` / `removeFrom`, campaign ids (a deleted campaign counts as missing). */
async function changeCampaigns(db: Db, props: Props, ctx: ActionContext): Promise<void> {
  for (const [entries, change] of [[props.addTo, addContactToCampaign], [props.removeFrom, removeContactFromCampaign]] as const) {
    for (const entry of listOf(entries)) {
      const id = idOf(entry);
      const campaign = id === undefined ? undefined : await findLiveCampaign(db, id);
      if (campaign) await change(db, campaign.id, ctx.leadId, ctx.when);
    }
  }
}

const RUNNERS: Record<string, (db: Db, props: Props, ctx: ActionContext) => Promise<void>> = {
  'lead.changetags': changeTags,
  'lead.pointschange': changePoints,
  'lead.changelist': changeSegments,
  'lead.addtocompany': addToCompany,
  'campaign.addremovelead': changeCampaigns,
};

/** The action types this project runs; the others are skipped. */
export const RUN_ACTION_TYPES: readonly string[] = Object.keys(RUNNERS);

/**
 * Runs the form's actions in order on the submission's contact. An action whose properties
 * cannot be read, or which names a tag, segment or company that does not exist, does nothing
 * for that entry: the visitor's submission stands.
 *
 * @example await runFormActions(tx, { form, leadId, ipId, when: '2024-10-24 10:00:00' });
 */
export async function runFormActions(db: Db, ctx: ActionContext): Promise<void> {
  for (const action of await listFormActions(db, ctx.form.id)) {
    await RUNNERS[action.type]?.(db, asProps(action.properties), ctx);
  }
}

/**
 * What follows the saved rows (§4.2 "Otherwise" steps 5, 7 and 8): the form's actions; for a
 * campaign form (`form_type` campaign), the contact joins the form's published campaigns; then
 * the `form.submit` point actions.
 */
export async function runAfterSubmission(db: Db, ctx: ActionContext & { formType: string }): Promise<void> {
  await runFormActions(db, ctx);
  if (ctx.formType === 'campaign') await addContactToFormCampaigns(db, ctx.form.id, ctx.leadId, ctx.when);
  await awardFormSubmitPoints(db, ctx.form.id, ctx.leadId, ctx.ipId, ctx.when);
}
