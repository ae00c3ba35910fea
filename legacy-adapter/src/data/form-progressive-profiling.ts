/**
 * Progressive profiling (docs/mautic/public-http.md §4.2 "Progressive profiling"): a field the
 * form would not display to the tracked contact cannot be filled in, so its validation error
 * is dropped. A field is hidden when it waits for the contact's Nth submission
 * (`show_after_x_submissions`), or, with "show when value exists" off, when the contact's
 * mapped field or an earlier submission already holds a value; `always_display`, auto-filled
 * fields and kiosk forms are never hidden. Shared by the stand-in and the forms service.
 */
import type { Row } from '../db/types.ts';
import type { Db } from '../db/types.ts';
import type { Form, FormField } from './form-definition.ts';
import { listContactFormResults } from './form-results.ts';

/** PHP's `empty()` on a stored value: null, '' and '0' are empty. */
const isEmptyValue = (value: unknown): boolean => value === null || value === undefined || value === '' || value === '0' || value === 0 || value === false;

/** Whether any field of `form` can be hidden from a contact. */
export function usesProgressiveProfiling(form: Form): boolean {
  return form.fields.some((f) => !f.showWhenValueExists || f.showAfterXSubmissions > 0);
}

/**
 * Whether `field` is displayed to a contact with these values and earlier results.
 *
 * @param contact - the tracked contact's row (`leads` columns), or null for nobody known yet
 * @param submissions - the contact's earlier results rows of this form
 */
export function shownToContact(field: FormField, form: Form, contact: Readonly<Record<string, unknown>> | null, submissions: readonly Row[]): boolean {
  if (form.inKioskMode || field.alwaysDisplay) return true;
  if (field.showAfterXSubmissions > submissions.length) return false;
  if (field.showWhenValueExists || field.isAutoFill) return true;
  if (submissions.some((row) => !isEmptyValue(row[field.alias]))) return false;
  const known = field.mappedObject === 'contact' && field.mappedField && contact ? contact[field.mappedField] : null;
  return isEmptyValue(known);
}

/**
 * `errors` without those of fields hidden from the contact. Reads nothing when there is no
 * error or the form hides no field.
 *
 * @param findContact - finds the tracked contact as it is before the submission (read-only), or null
 * @example
 * const errors = await dropHiddenFieldErrors(db, form, verdict.errors, () => trackedLead());
 */
export async function dropHiddenFieldErrors(
  db: Db, form: Form, errors: Readonly<Record<string, string>>, findContact: () => Promise<{ id: number } | null>,
): Promise<Record<string, string>> {
  if (Object.keys(errors).length === 0 || form.inKioskMode || !usesProgressiveProfiling(form)) return { ...errors };
  const found = await findContact();
  const contact = found as Readonly<Record<string, unknown>> | null;
  const submissions = found ? await listContactFormResults(db, form, found.id) : [];
  const kept: Record<string, string> = {};
  for (const [alias, message] of Object.entries(errors)) {
    const field = form.fields.find((f) => f.alias === alias);
    if (!field || shownToContact(field, form, contact, submissions)) kept[alias] = message;
  }
  return kept;
}
