import { alphanum, cleanText, sanitizeEmail } from './php-text.ts';
import { isValidEmail } from './mautic-api.ts';

/**
 * Per-field rules of `SubmissionModel::saveSubmission` (docs/mautic/public-http.md
 * §4.2 steps 1–7, §4.5): which types are view-only, how a value is filtered,
 * and the user-visible messages of type validation and the pre-checks. Shared by
 * the stand-in and the forms service.
 */

/** What type validation reads of a form field (`form_fields` decoded). */
export interface ValidatedField {
  type: string;
  /** `form_fields.properties`, PHP-unserialized. */
  properties: Record<string, unknown>;
  /** `form_fields.validation` JSON, or null. */
  validation: Record<string, unknown> | null;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Mautic's default full date format `F j, Y g:i a T` (UTC), used for `%date%` of the
 * pre-check messages (inferred: the reference names the placeholder, not its format).
 */
export function formatFullDate(date: Date): string {
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const ampm = hours < 12 ? 'am' : 'pm';
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${hour12}:${minutes} ${ampm} UTC`;
}

/** Types that are shown but never stored (§4.2 step 5; no results column, docs/mautic/schema.md). */
export const VIEW_ONLY_TYPES: ReadonlySet<string> = new Set(['button', 'captcha', 'freetext', 'freehtml', 'pagebreak']);

/** Built-in field types (`FormFieldHelper::$types`); anything else is filtered as `alphanum`. */
const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'captcha', 'checkboxgrp', 'country', 'date', 'datetime', 'email', 'freetext', 'freehtml', 'hidden',
  'companyLookup', 'number', 'pagebreak', 'password', 'radiogrp', 'select', 'tel', 'text', 'textarea',
  'url', 'file', 'button',
]);

/** User-visible messages (en_US). */
export const FIELD_MESSAGES = {
  emailInvalid: 'The email is invalid.',
  urlInvalid: 'The URL is invalid.',
  phoneInvalid:
    'Please use the following international phone number format [+][country code][subscriber number] for this field (eg: \u202a+14028650000).',
  required: (label: string) => `'${label}' is required.`,
  captcha: (label: string) => `The answer to &quot;${label}&quot; is incorrect. Please try again.`,
  notAvailable: 'This form is no longer available.',
  pending: (date: string) => `This form start accepting submissions on ${date}.`,
  expired: (date: string) => `This form stopped accepting submissions on ${date}.`,
  thankYou: 'Thank you!',
  // Symfony's Choice constraint messages (en); docs/mautic names the check, not its wording.
  invalidChoice: 'The value you selected is not a valid choice.',
  invalidChoices: 'One or more of the given values is invalid.',
} as const;

/** Applies the type's input filter (§4.2 step 6); arrays are filtered item by item. */
export function filterValue(type: string, value: string): string {
  if (type === 'email') return sanitizeEmail(value.trim());
  if (!KNOWN_TYPES.has(type)) return alphanum(value);
  return cleanText(value);
}

/** A syntactically valid address (Mautic's EmailValidator, simplified; shared with the sending routes). */
export { isValidEmail };

/** PHP `FILTER_VALIDATE_URL`, approximated: an absolute URL with a scheme and a host. */
export function isValidUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) && url.hostname !== '' && !/\s/.test(value);
  } catch {
    return false;
  }
}

/** E.164 as the international-format hint shows it: `+`, country code, subscriber number. */
function isInternationalPhone(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value.replace(/[\s()-]/g, ''));
}

/**
 * Type validation of a filtered, non-empty value (§4.2 step 7). Returns the
 * message, or undefined when the value passes.
 */
export function validateValue(field: ValidatedField, value: string): string | undefined {
  if (field.type === 'email') {
    if (!isValidEmail(value)) return FIELD_MESSAGES.emailInvalid;
    if (field.properties.donotsubmit && domainBlocked(field, value)) {
      return String(field.properties.donotsubmit_validationmsg || 'Cannot be sent with this email');
    }
  }
  if (field.type === 'url' && !isValidUrl(value)) return FIELD_MESSAGES.urlInvalid;
  if (field.type === 'tel' && field.validation?.international && !isInternationalPhone(value)) {
    return String(field.validation.international_validationmsg || FIELD_MESSAGES.phoneInvalid);
  }
  return undefined;
}

/** The email field's "do not submit" domain list (`properties.donotsubmit_array`, one pattern per entry). */
function domainBlocked(field: ValidatedField, value: string): boolean {
  const list = field.properties.donotsubmit_array;
  if (!Array.isArray(list)) return false;
  const lower = value.toLowerCase();
  return list.some((entry) => {
    const pattern = String(entry).toLowerCase().trim();
    if (!pattern) return false;
    const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return regex.test(lower) || regex.test(lower.slice(lower.indexOf('@') + 1));
  });
}

/**
 * A file field's limits (§4.2 step 2): the `allowed_file_extensions` list and the
 * `allowed_file_size` in MB, with Mautic's messages. Returns the message, or undefined.
 *
 * @example
 * uploadError({ allowed_file_extensions: ['pdf'] }, { name: 'x.exe', size: 2 }) // 'Upload failed as the file extension, exe, …'
 */
export function uploadError(properties: Readonly<Record<string, unknown>>, file: { name: string; size: number }): string | undefined {
  const raw = properties.allowed_file_extensions;
  const allowed = Array.isArray(raw) ? raw.map((e) => String(e).toLowerCase()) : [];
  const dot = file.name.lastIndexOf('.');
  const extension = dot < 0 ? '' : file.name.slice(dot + 1).toLowerCase();
  if (allowed.length > 0 && !allowed.includes(extension)) {
    return `Upload failed as the file extension, ${extension}, is not in the list of allowed extensions (${allowed.join(', ')}).`;
  }
  const maxMb = Number(properties.allowed_file_size ?? 0);
  const sizeMb = file.size / (1024 * 1024);
  if (maxMb > 0 && sizeMb > maxMb) return `Upload failed as the file is ${sizeMb.toFixed(2)} MB which exceeds the maximum allowed file size of ${maxMb} MB.`;
  return undefined;
}

/**
 * Whether a conditional field counts (§4.2 step 3), from its `conditions` (`{ any, expr, values }`)
 * and the values posted for its parent: `any` wants a non-blank value, `in` one of the values,
 * `notIn` none of them.
 */
export function parentConditionMet(conditions: Readonly<Record<string, unknown>> | null, posted: readonly string[]): boolean {
  const condition = conditions ?? {};
  if (condition.any) return posted.some((v) => v.trim() !== '');
  const wanted = Array.isArray(condition.values) ? condition.values.map(String) : [];
  const hit = posted.some((v) => wanted.includes(v));
  return condition.expr === 'notIn' ? !hit : hit;
}

/** Types whose values must be among the field's options. */
const CHOICE_TYPES: ReadonlySet<string> = new Set(['select', 'radiogrp', 'checkboxgrp']);

/**
 * The option values of a list field: `properties.optionlist.list` (radio and checkbox groups)
 * or `properties.list.list` (select), each entry `{ label, value }`; a plain string entry, or
 * a `{ value: label }` map, is read as its value. Undefined when the field has no list of its
 * own, or takes its list from the mapped contact field (`syncList`): those are not checked.
 */
export function optionValues(field: ValidatedField): string[] | undefined {
  if (!CHOICE_TYPES.has(field.type) || field.properties.syncList) return undefined;
  const holder = field.properties.optionlist ?? field.properties.list;
  const raw = holder && typeof holder === 'object' && 'list' in holder ? (holder as { list: unknown }).list : holder;
  if (!raw || typeof raw !== 'object') return undefined;
  const entries = Array.isArray(raw)
    ? raw.map((e) => (e && typeof e === 'object' ? (e as { value?: unknown }).value : e))
    : Object.keys(raw);
  const values = entries.filter((v) => v !== undefined && v !== null).map((v) => String(v));
  return values.length > 0 ? values : undefined;
}

/**
 * The option check of select, radio and checkbox fields (§4.2 "select and checkbox options",
 * issue #14): every filtered, non-empty item must be one of `optionValues`, and a single-choice
 * field (radio, select without `multiple`) takes one item. Returns Symfony's Choice message
 * (`invalidChoices` for multi-choice fields), or undefined when the items pass.
 *
 * @example
 * optionError({ type: 'select', properties: { list: { list: [{ label: 'A', value: 'a' }] } }, validation: null }, ['z']) // 'The value you selected is not a valid choice.'
 */
export function optionError(field: ValidatedField, items: readonly string[]): string | undefined {
  const options = optionValues(field);
  if (!options || items.length === 0) return undefined;
  const multiple = field.type === 'checkboxgrp' || (field.type === 'select' && Boolean(field.properties.multiple));
  const passes = items.every((item) => options.includes(item)) && (multiple || items.length === 1);
  if (passes) return undefined;
  return multiple ? FIELD_MESSAGES.invalidChoices : FIELD_MESSAGES.invalidChoice;
}
