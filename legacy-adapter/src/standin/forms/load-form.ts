import { findFormById, listFormFields, type Form as FormRow, type FormField as FieldRow } from '../../data/forms.ts';
import type { Db } from '../../db/types.ts';
import type { Form, FormField, PostAction } from './form-types.ts';

/**
 * Loads a form and its fields through the forms repository and shapes them
 * for the public endpoints (form-types.ts).
 */

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
