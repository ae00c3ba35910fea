import type { Db } from '../db/types.ts';
import { FIELD_MESSAGES, formatFullDate } from '../codecs/form-field-rules.ts';
import { findFormById, listFormFields, type Form as FormRow, type FormField as FieldRow } from './forms.ts';

/**
 * A Mautic form as the public endpoints see it (`forms`, `form_fields`; docs/mautic/schema.md),
 * serialized columns decoded, loaded through the forms repository (`loadForm`), and the
 * pre-checks of a submission (`unavailableReason`, docs/mautic/public-http.md §4.2). Shared by
 * the stand-in and the forms service.
 */

/** `forms.post_action` values. */
export type PostAction = 'message' | 'return' | 'redirect';

/** A form row. Dates are UTC `Date`s or null. */
export interface Form {
  id: number;
  name: string;
  /** `forms.alias` (≤10 chars); names the results table and the URL fragment after errors. */
  alias: string;
  isPublished: boolean;
  publishUp: Date | null;
  publishDown: Date | null;
  postAction: PostAction;
  postActionProperty: string;
  /** Kiosk mode: every submission makes a new contact and sets no cookies (§4.2). */
  inKioskMode: boolean;
  /** `standalone` or `campaign`. */
  formType: string;
  noIndex: boolean;
  /** Stored rendering of the form, when the monolith built one. */
  cachedHtml: string | null;
  fields: FormField[];
}

/** A form field row. */
export interface FormField {
  id: number;
  label: string;
  /** Column name in the results table and key of validation errors. */
  alias: string;
  type: string;
  isRequired: boolean;
  /** Custom required message; '' for the default `'<label>' is required.`. */
  validationMessage: string;
  defaultValue: string;
  order: number;
  /** `form_fields.properties`, PHP-unserialized (`list`, `captcha`, `multiple`, …). */
  properties: Record<string, unknown>;
  /** `form_fields.validation` JSON (e.g. `{ "international": 1 }`), or null. */
  validation: Record<string, unknown> | null;
  /** `save_result`: NULL counts as true, only an explicit 0 stops storing the value. */
  saveResult: boolean;
  /** `contact` or `company` when the value is written to the contact. */
  mappedObject: string | null;
  /** The lead_fields alias the value is written to. */
  mappedField: string | null;
  /** Whether the field shows when the contact already has a value (NULL = true). */
  showWhenValueExists: boolean;
  /** Progressive profiling: shown only from the contact's Nth submission of the form on (0 = always). */
  showAfterXSubmissions: number;
  /** `is_auto_fill`: a known value is filled in rather than the field hidden. */
  isAutoFill: boolean;
  /** `always_display`: progressive profiling never hides it. */
  alwaysDisplay: boolean;
  /** Parent field id of a conditional field, or null. */
  parentId: number | null;
  /** Condition on the parent's value (`{ any: 0|1, values: [...] }`), or null. */
  conditions: Record<string, unknown> | null;
  helpMessage: string;
  showLabel: boolean;
}

/** One submitted value: a string, or a list for checkbox groups and multi-selects. */
export type SubmittedValue = string | string[];



function asObject(value: unknown): Record<string, unknown> {
  if (value && typeof value === 'object') return Array.isArray(value) ? { ...value } : (value as Record<string, unknown>);
  return {};
}

function asDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function toPostAction(value: string): PostAction {
  return value === 'redirect' || value === 'return' ? value : 'message';
}

function toField(row: FieldRow): FormField {
  const parent = row.parent_id !== null && /^\d+$/.test(row.parent_id) ? Number(row.parent_id) : null;
  const conditions = asObject(row.conditions);
  return {
    id: row.id,
    label: row.label,
    alias: row.alias,
    type: row.type,
    isRequired: row.is_required === true,
    validationMessage: row.validation_message ?? '',
    defaultValue: row.default_value ?? '',
    order: row.field_order ?? 0,
    properties: asObject(row.properties),
    validation: row.validation && typeof row.validation === 'object' ? asObject(row.validation) : null,
    saveResult: row.save_result !== false,
    mappedObject: row.mapped_object,
    mappedField: row.mapped_field,
    showWhenValueExists: row.show_when_value_exists !== false,
    showAfterXSubmissions: row.show_after_x_submissions ?? 0,
    isAutoFill: row.is_auto_fill === true,
    alwaysDisplay: row.always_display === true,
    parentId: parent,
    conditions: Object.keys(conditions).length > 0 ? conditions : null,
    helpMessage: row.help_message ?? '',
    showLabel: row.show_label !== false,
  };
}

/** Shapes a repository row and its field rows. */
export function toForm(row: FormRow, fields: readonly FieldRow[]): Form {
  return {
    id: row.id,
    name: row.name,
    alias: row.alias,
    isPublished: row.is_published === true,
    publishUp: asDate(row.publish_up),
    publishDown: asDate(row.publish_down),
    postAction: toPostAction(row.post_action),
    postActionProperty: row.post_action_property ?? '',
    inKioskMode: row.in_kiosk_mode === true,
    formType: row.form_type ?? 'standalone',
    noIndex: row.no_index === true,
    cachedHtml: row.cached_html,
    fields: fields.map(toField),
  };
}

/** The form with this id and its fields, or undefined. Ids outside 1…2^32−1 find nothing. */
export async function loadForm(db: Db, id: number): Promise<Form | undefined> {
  if (!Number.isSafeInteger(id) || id < 1 || id > 4294967295) return undefined;
  const row = await findFormById(db, id);
  if (!row) return undefined;
  return toForm(row, await listFormFields(db, id));
}

/** `mauticform[formId]` as PHP's `(int)` cast reads it: leading digits, else 0. */
export function parseFormId(raw: unknown): number {
  if (typeof raw !== 'string') return 0;
  const digits = /^\s*\+?(\d+)/.exec(raw)?.[1];
  return digits ? Number(digits) : 0;
}

/**
 * The pre-checks of a submission (docs/mautic/public-http.md §4.2 "Pre-checks"): why `form`
 * (or its absence) refuses a submission at `now`, or undefined when it accepts one.
 */
export function unavailableReason(form: Form | undefined, now: Date): string | undefined {
  if (!form || !form.isPublished) return FIELD_MESSAGES.notAvailable;
  if (form.publishUp && form.publishUp.getTime() > now.getTime()) return FIELD_MESSAGES.pending(formatFullDate(form.publishUp));
  if (form.publishDown && form.publishDown.getTime() <= now.getTime()) return FIELD_MESSAGES.expired(formatFullDate(form.publishDown));
  return undefined;
}
