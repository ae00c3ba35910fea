/**
 * The submission rows (docs/mautic/public-http.md §4.2 "Otherwise" steps 2–4, §4.5):
 * `form_submissions`, then the `form_results_{id}_{alias}` row with the same id. The results
 * table is Mautic's (made when the form was saved): the service never creates one, since DDL
 * would end the submission's transaction on MySQL.
 */
import { insertFormResult } from '../../../../legacy-adapter/src/data/form-results.ts';
import { insertFormSubmission } from '../../../../legacy-adapter/src/data/forms.ts';
import type { Form } from '../../../../legacy-adapter/src/data/form-definition.ts';
import { toUtcDateTime } from '../../../../legacy-adapter/src/data/row-codec.ts';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { SubmissionContact } from './submission-contact.ts';

/** What the submission row records besides the contact. */
export interface SubmissionFacts {
  /** The cleaned return URL, else the cleaned Referer; '' when neither. */
  referer: string;
  /** The landing page the form sits on (`mauticform[mauticpage]`), when it exists. */
  pageId: number | null;
  now: Date;
}

/**
 * Writes the submission and its results.
 *
 * @returns the new `form_submissions.id`
 */
export async function saveSubmission(db: Db, form: Form, results: Record<string, string>, contact: SubmissionContact, facts: SubmissionFacts): Promise<number> {
  const submissionId = await insertFormSubmission(db, {
    form_id: form.id, ip_id: contact.ipId, lead_id: contact.lead.id, page_id: facts.pageId,
    tracking_id: contact.trackingId, date_submitted: toUtcDateTime(facts.now), referer: facts.referer,
  });
  await insertFormResult(db, { id: form.id, alias: form.alias }, submissionId, results);
  return submissionId;
}
