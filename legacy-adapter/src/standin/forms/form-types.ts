/**
 * The stand-in's view of a Mautic form (`forms`, `form_fields`; docs/mautic/schema.md)
 * with serialized columns already decoded. Built from the forms repository by
 * `load-form.ts`; the pure parts of the forms router only see these shapes.
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
  /** Parent field id of a conditional field, or null. */
  parentId: number | null;
  /** Condition on the parent's value (`{ any: 0|1, values: [...] }`), or null. */
  conditions: Record<string, unknown> | null;
  helpMessage: string;
  showLabel: boolean;
}

/** One submitted value: a string, or a list for checkbox groups and multi-selects. */
export type SubmittedValue = string | string[];
