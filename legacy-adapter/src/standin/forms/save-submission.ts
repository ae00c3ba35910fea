import { insertFormSubmission } from '../../data/forms.ts';
import { createFormResultsTable, insertFormResult } from '../../data/form-results.ts';
import { toUtcDateTime } from '../../data/row-codec.ts';
import type { Db } from '../../db/types.ts';
import type { Form } from '../../data/form-definition.ts';
import type { SubmissionContact } from './submit-contact.ts';

/**
 * The submission rows (docs/mautic/public-http.md §4.2 "Otherwise" steps 3–4, §4.5):
 * `form_submissions`, then the `form_results_{id}_{alias}` row with the same id.
 */

/** Results tables known to exist, per database handle (Mautic creates them when a form is saved). */
const knownTables = new WeakMap<Db, Set<string>>();

async function ensureResultsTable(db: Db, form: Form): Promise<void> {
  const key = `${form.id}_${form.alias}`;
  let known = knownTables.get(db);
  if (!known) knownTables.set(db, (known = new Set()));
  if (known.has(key)) return;
  await createFormResultsTable(db, { id: form.id, alias: form.alias }, form.fields);
  known.add(key);
}

/** What a submission row records besides the contact. */
export interface SubmissionInput {
  /** Cleaned return URL, else the Referer; '' when neither. */
  referer: string;
  /** `mauticform[mauticpage]`; null unless the form sits on a landing page. */
  pageId: number | null;
  now: Date;
}

/**
 * Writes the submission and its results row.
 *
 * @returns the new `form_submissions.id`
 */
export async function saveSubmission(
  db: Db, form: Form, results: Record<string, string>, contact: SubmissionContact, input: SubmissionInput,
): Promise<number> {
  await ensureResultsTable(db, form);
  const submissionId = await insertFormSubmission(db, {
    form_id: form.id,
    ip_id: contact.ipId,
    lead_id: contact.lead.id,
    page_id: input.pageId,
    tracking_id: contact.trackingId,
    date_submitted: toUtcDateTime(input.now),
    referer: input.referer,
  });
  await insertFormResult(db, { id: form.id, alias: form.alias }, submissionId, results);
  return submissionId;
}
