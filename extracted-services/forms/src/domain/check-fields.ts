/**
 * The field loop of `SubmissionModel::saveSubmission` (docs/mautic/public-http.md §4.2
 * "Submission" steps 1–11): each field in form order is skipped, refused or turned into the
 * value to store and to map onto the contact. Any refusal means nothing is saved.
 */
import { FIELD_MESSAGES, VIEW_ONLY_TYPES, filterValue, optionError, parentConditionMet, uploadError, validateValue } from '../../../../legacy-adapter/src/codecs/form-field-rules.ts';
import type { Form, FormField, SubmittedValue } from '../../../../legacy-adapter/src/data/form-definition.ts';
import type { UploadedFile } from './form-request.ts';

/** The verdict on a submission. */
export interface FieldsVerdict {
  /** Message per field alias; empty when the submission may be saved. */
  errors: Record<string, string>;
  /** `form_results_{id}_{alias}` values by alias (lists joined with `, `). */
  results: Record<string, string>;
  /** Contact values by `lead_fields` alias. */
  contactValues: Record<string, string>;
  /** Company values by company field alias (`mapped_object` company). */
  companyValues: Record<string, string>;
  /** Files to store, by field. */
  uploads: { field: FormField; file: UploadedFile }[];
}

type FieldOutcome = { skip: true } | { error: string } | { value: string; upload?: UploadedFile };

const listOf = (value: SubmittedValue | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const blank = (value: SubmittedValue | undefined): boolean => listOf(value).every((v) => v.trim() === '');

/** Step 3: a child field counts only when its parent's posted value meets the condition. */
function parentAllows(field: FormField, form: Form, fields: Record<string, SubmittedValue>): boolean {
  const parent = field.parentId === null ? undefined : form.fields.find((f) => f.id === field.parentId);
  return !parent || parentConditionMet(field.conditions, listOf(fields[parent.alias]));
}

/** Step 1: a captcha without an answer is a honeypot that must stay empty. */
function captchaError(field: FormField, value: SubmittedValue | undefined): string | undefined {
  const answer = String(field.properties.captcha ?? '').trim().toLowerCase();
  const given = listOf(value).join(', ').trim().toLowerCase();
  const passes = answer === '' ? given === '' : given === answer;
  return passes ? undefined : String(field.properties.errorMessage || FIELD_MESSAGES.captcha(field.label));
}

/** Step 6: each item filtered by type, empty items dropped. */
const filteredItems = (field: FormField, value: SubmittedValue | undefined): string[] => listOf(value).map((v) => filterValue(field.type, v)).filter((v) => v !== '');

/** Step 11: lists joined (a single value is stored as filtered, even when blank). */
function storedText(field: FormField, value: SubmittedValue | undefined): string {
  if (!Array.isArray(value)) return value === undefined ? '' : filterValue(field.type, value);
  return filteredItems(field, value).join(', ');
}

function judge(field: FormField, form: Form, fields: Record<string, SubmittedValue>, files: Record<string, UploadedFile>): FieldOutcome {
  const value = fields[field.alias];
  if (field.type === 'captcha') {
    const error = captchaError(field, value);
    return error ? { error } : { skip: true };
  }
  const file = field.type === 'file' ? files[field.alias] : undefined;
  if (file) {
    const error = uploadError(field.properties, file);
    return error ? { error } : { value: file.name, upload: file };
  }
  if (!parentAllows(field, form, fields)) return { skip: true };
  const missing = field.type === 'file' || blank(value);
  if (field.isRequired && missing) {
    // Hidden by "show when value exists = no" and not posted: not the visitor's to fill.
    if (!field.showWhenValueExists && value === undefined) return { skip: true };
    return { error: field.validationMessage || FIELD_MESSAGES.required(field.label) };
  }
  if (VIEW_ONLY_TYPES.has(field.type)) return { skip: true };
  const text = storedText(field, value);
  const error = text === '' ? undefined : optionError(field, filteredItems(field, value)) ?? validateValue(field, text);
  return error ? { error } : { value: text };
}

/**
 * Judges every field of `form` against the post.
 *
 * @example
 * const verdict = checkFields(form, request.fields, request.files);
 */
export function checkFields(form: Form, fields: Record<string, SubmittedValue>, files: Record<string, UploadedFile>): FieldsVerdict {
  const verdict: FieldsVerdict = { errors: {}, results: {}, contactValues: {}, companyValues: {}, uploads: [] };
  for (const field of [...form.fields].sort((a, b) => a.order - b.order)) {
    const outcome = judge(field, form, fields, files);
    if ('error' in outcome) verdict.errors[field.alias] = outcome.error;
    if (!('value' in outcome)) continue;
    if (outcome.upload) verdict.uploads.push({ field, file: outcome.upload });
    if (field.saveResult) verdict.results[field.alias] = outcome.value;
    if (field.mappedObject === 'contact' && field.mappedField && outcome.value !== '') verdict.contactValues[field.mappedField] = outcome.value;
    if (field.mappedObject === 'company' && field.mappedField && outcome.value !== '') verdict.companyValues[field.mappedField] = outcome.value;
  }
  return verdict;
}
