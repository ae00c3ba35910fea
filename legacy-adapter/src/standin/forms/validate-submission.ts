import { FIELD_MESSAGES, VIEW_ONLY_TYPES, filterValue, optionError, parentConditionMet, uploadError, validateValue } from '../../codecs/form-field-rules.ts';
import type { Form, FormField, SubmittedValue } from '../../data/form-definition.ts';

/**
 * `SubmissionModel::saveSubmission` up to the point where rows are written
 * (docs/mautic/public-http.md §4.2 "Submission"): every field in form order is
 * checked, filtered and validated; the outcome is either an errors map keyed by
 * field alias, or the values to store and to map onto the contact.
 */

/** An uploaded file as the multipart parser saw it. */
export interface UploadedFile {
  name: string;
  /** Size in bytes. */
  size: number;
}

/** What the client posted under `mauticform[…]`, minus the control keys. */
export interface PostedForm {
  values: Record<string, SubmittedValue>;
  files: Record<string, UploadedFile>;
}

/** The outcome of validating a submission. */
export interface SubmissionCheck {
  /** Messages keyed by field alias; empty when the submission may be saved. */
  errors: Record<string, string>;
  /** Values for `form_results_{id}_{alias}`, keyed by alias (arrays joined with `, `). */
  results: Record<string, string>;
  /** Values for contact fields, keyed by `lead_fields` alias (mapped_object = contact). */
  contactValues: Record<string, string>;
  /** Values for company fields, keyed by company field alias (mapped_object = company). */
  companyValues: Record<string, string>;
}

function isEmpty(value: SubmittedValue | undefined): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.every((v) => v.trim() === '');
  return value.trim() === '';
}

function asText(value: SubmittedValue | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A conditional field counts only when its parent's value meets the condition (§4.2 step 3). */
function conditionMet(field: FormField, form: Form, posted: PostedForm): boolean {
  if (field.parentId === null) return true;
  const parent = form.fields.find((f) => f.id === field.parentId);
  if (!parent) return true;
  const raw = posted.values[parent.alias];
  return parentConditionMet(field.conditions, raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);
}

function checkCaptcha(field: FormField, value: SubmittedValue | undefined): string | undefined {
  const answer = String(field.properties.captcha ?? '').trim();
  const given = asText(value).trim();
  const failed = answer === '' ? given !== '' : given === '' || given.toLowerCase() !== answer.toLowerCase();
  if (!failed) return undefined;
  return String(field.properties.errorMessage || FIELD_MESSAGES.captcha(field.label));
}

/** Filters each item of a submitted value and joins lists with `, ` (§4.2 steps 6 and 11). */
function filtered(field: FormField, value: SubmittedValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => filterValue(field.type, v)).filter((v) => v !== '').join(', ');
  return filterValue(field.type, value);
}

/** Validates one field; returns an error message or the stored value. */
function checkField(field: FormField, form: Form, posted: PostedForm): { error?: string; value?: string } {
  const value = posted.values[field.alias];
  if (field.type === 'captcha') return { error: checkCaptcha(field, value) };
  const file = posted.files[field.alias];
  if (field.type === 'file' && file) {
    const error = uploadError(field.properties, file);
    return error ? { error } : { value: file.name };
  }
  if (!conditionMet(field, form, posted)) return {};
  const empty = field.type === 'file' ? !file : isEmpty(value);
  if (field.isRequired && empty) {
    if (!field.showWhenValueExists && value === undefined) return {};
    return { error: field.validationMessage || FIELD_MESSAGES.required(field.label) };
  }
  if (VIEW_ONLY_TYPES.has(field.type)) return {};
  const stored = filtered(field, value);
  if (stored !== '') {
    const items = (Array.isArray(value) ? value : [value ?? '']).map((v) => filterValue(field.type, v)).filter((v) => v !== '');
    const error = optionError(field, items) ?? validateValue(field, stored);
    if (error) return { error };
  }
  return { value: stored };
}

/**
 * Checks a posted submission against its form. If any field fails, `errors`
 * holds every message and nothing may be saved (§4.2).
 *
 * @example
 * const check = validateSubmission(form, { values: { email: 'a@b.c' }, files: {} });
 * if (Object.keys(check.errors).length) ...
 */
export function validateSubmission(form: Form, posted: PostedForm): SubmissionCheck {
  const check: SubmissionCheck = { errors: {}, results: {}, contactValues: {}, companyValues: {} };
  for (const field of [...form.fields].sort((a, b) => a.order - b.order)) {
    const { error, value } = checkField(field, form, posted);
    if (error) {
      check.errors[field.alias] = error;
      continue;
    }
    // View-only types and skipped fields (a conditional one whose parent says no, §4.2 step 3) store nothing.
    if (VIEW_ONLY_TYPES.has(field.type) || value === undefined) continue;
    const stored = value;
    if (field.saveResult) check.results[field.alias] = stored;
    if (field.mappedObject === 'contact' && field.mappedField && stored !== '') {
      check.contactValues[field.mappedField] = stored;
    }
    if (field.mappedObject === 'company' && field.mappedField && stored !== '') check.companyValues[field.mappedField] = stored;
  }
  return check;
}
