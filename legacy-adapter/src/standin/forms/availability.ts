import { FIELD_MESSAGES } from './field-rules.ts';
import type { Form } from './form-types.ts';

/**
 * The pre-checks of a submission (docs/mautic/public-http.md §4.2 "Pre-checks"):
 * the message when the form may not take submissions now, else undefined.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Mautic's default full date format `F j, Y g:i a T` (UTC), used for `%date%`
 * (inferred: the reference names the placeholder, not its format).
 */
export function formatFullDate(date: Date): string {
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const ampm = hours < 12 ? 'am' : 'pm';
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${hour12}:${minutes} ${ampm} UTC`;
}

/** Why `form` (or its absence) refuses a submission at `now`, or undefined when it accepts one. */
export function unavailableReason(form: Form | undefined, now: Date): string | undefined {
  if (!form || !form.isPublished) return FIELD_MESSAGES.notAvailable;
  if (form.publishUp && form.publishUp.getTime() > now.getTime()) return FIELD_MESSAGES.pending(formatFullDate(form.publishUp));
  if (form.publishDown && form.publishDown.getTime() <= now.getTime()) return FIELD_MESSAGES.expired(formatFullDate(form.publishDown));
  return undefined;
}
