import type { PhpValue } from '../codecs/php-serialize.ts';
import { DbError } from '../db/errors.ts';
import { FORM_FIELDS, FORM_SUBMISSIONS, FORMS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { AuditColumns } from './audit-columns.ts';
import type { Writable } from './contact-rows.ts';
import { utcNow } from './row-codec.ts';
import { insertRow, selectOne, selectRows } from './table-access.ts';

/** A `forms` row. */
export interface Form extends AuditColumns {
  id: number;
  category_id: number | null;
  name: string;
  description: string | null;
  /** Used in the results table name `form_results_{id}_{alias}`. */
  alias: string;
  lang: string | null;
  form_attr: string | null;
  cached_html: string | null;
  /** 'message', 'redirect' or 'return'. */
  post_action: string;
  post_action_property: string | null;
  publish_up: string | null;
  publish_down: string | null;
  template: string | null;
  in_kiosk_mode: boolean | null;
  render_style: boolean | null;
  form_type: string | null;
  no_index: boolean | null;
  progressive_profiling_limit: number | null;
}

/** A `form_fields` row. */
export interface FormField {
  id: number;
  form_id: number;
  label: string;
  show_label: boolean | null;
  /** Column name in the results table. */
  alias: string;
  type: string;
  is_custom: boolean;
  custom_parameters: PhpValue;
  default_value: string | null;
  is_required: boolean;
  validation_message: string | null;
  help_message: string | null;
  field_order: number | null;
  properties: PhpValue;
  validation: unknown;
  parent_id: string | null;
  conditions: unknown;
  label_attr: string | null;
  input_attr: string | null;
  container_attr: string | null;
  lead_field: string | null;
  save_result: boolean | null;
  is_auto_fill: boolean | null;
  show_when_value_exists: boolean | null;
  show_after_x_submissions: number | null;
  always_display: boolean | null;
  /** 'contact' or 'company'. */
  mapped_object: string | null;
  /** The `lead_fields` alias the value is written to. */
  mapped_field: string | null;
}

/** A `form_submissions` row. */
export interface FormSubmission {
  id: number;
  form_id: number;
  ip_id: number | null;
  lead_id: number | null;
  page_id: number | null;
  tracking_id: string | null;
  date_submitted: string;
  referer: string;
}

/** Form and field aliases become table and column names, so only these are accepted. */
export const ALIAS = /^[a-z0-9_]{1,64}$/;

function checkAlias(kind: string, alias: string): void {
  if (!ALIAS.test(alias)) {
    throw new DbError('DB_INPUT_INVALID', `${kind} alias "${alias}" must be lower-case letters, digits or _ (at most 64)`, { alias });
  }
}

/** Inserts a form (published, `post_action` 'message', `date_added` now unless given). @returns its id. */
export async function insertForm(db: Db, values: Writable<Form> & { name: string; alias: string }): Promise<number> {
  checkAlias('Form', values.alias);
  return insertRow(db, FORMS, { is_published: true, post_action: 'message', date_added: utcNow(), ...values });
}

/** The form with this id, or undefined. */
export function findFormById(db: Db, id: number): Promise<Form | undefined> {
  return selectOne<Form>(db, FORMS, { id });
}

/** Inserts a field (not custom, not required unless given). @returns its id. */
export async function insertFormField(db: Db, values: Writable<FormField> & Pick<FormField, 'form_id' | 'label' | 'alias' | 'type'>): Promise<number> {
  checkAlias('Field', values.alias);
  return insertRow(db, FORM_FIELDS, { is_custom: false, is_required: false, ...values });
}

/** The forms a user created (`created_by`), oldest first. */
export function listFormsCreatedBy(db: Db, userId: number): Promise<Form[]> {
  return selectRows<Form>(db, FORMS, { created_by: userId }, 'ORDER BY id');
}

/** The fields of a form in display order (`field_order`, then id). */
export function listFormFields(db: Db, formId: number): Promise<FormField[]> {
  return selectRows<FormField>(db, FORM_FIELDS, { form_id: formId }, 'ORDER BY field_order, id');
}

/** Inserts a submission (`date_submitted` now, `referer` '' unless given). @returns its id. */
export function insertFormSubmission(db: Db, values: Writable<FormSubmission> & { form_id: number }): Promise<number> {
  return insertRow(db, FORM_SUBMISSIONS, { date_submitted: utcNow(), referer: '', ...values });
}

/** The submission with this id, or undefined. */
export function findFormSubmissionById(db: Db, id: number): Promise<FormSubmission | undefined> {
  return selectOne<FormSubmission>(db, FORM_SUBMISSIONS, { id });
}

/** The submissions of a form, oldest first. */
export function listFormSubmissions(db: Db, formId: number): Promise<FormSubmission[]> {
  return selectRows<FormSubmission>(db, FORM_SUBMISSIONS, { form_id: formId }, 'ORDER BY id');
}
