import type { PostAction } from '../../data/form-definition.ts';

/**
 * What a submission came to, before it is rendered in one of the three
 * response modes (docs/mautic/public-http.md §4.2).
 */
export type SubmitOutcome =
  /** A pre-check failed (no form, unpublished, pending, expired). */
  | { kind: 'unavailable'; message: string }
  /** Field validation failed; nothing was saved. */
  | { kind: 'invalid'; errors: Record<string, string> }
  /** Saved. `message` is the post-action property; `redirect` the resolved target of `postAction=redirect`. */
  | { kind: 'saved'; results: Record<string, string>; postAction: PostAction; message: string; redirect?: string };

/** How the client asked to be answered. */
export type SubmitMode = 'classic' | 'messenger' | 'ajax';

/**
 * Mode selection (§4.2): a truthy `?ajax` wins (the `/form/submit/ajax` route
 * sets it), then a non-empty `mauticform[messenger]`, else classic.
 * `X-Requested-With` plays no part.
 */
export function selectMode(ajaxQuery: unknown, messenger: string | undefined): SubmitMode {
  const ajax = typeof ajaxQuery === 'string' ? ajaxQuery : Array.isArray(ajaxQuery) ? String(ajaxQuery[0] ?? '') : '';
  if (ajax !== '' && ajax !== '0') return 'ajax';
  if (messenger && messenger !== '0') return 'messenger';
  return 'classic';
}

/**
 * The JSON of AJAX and messenger mode. `formName` is echoed only when the
 * client posted `mauticform[formName]`.
 */
export function outcomeJson(outcome: SubmitOutcome, formName: string | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = { success: outcome.kind === 'saved' ? 1 : 0 };
  if (outcome.kind === 'unavailable') json.errorMessage = outcome.message;
  if (outcome.kind === 'invalid') json.validationErrors = outcome.errors;
  if (outcome.kind === 'saved') {
    json.results = outcome.results;
    if (outcome.redirect !== undefined) json.redirect = outcome.redirect;
    else if (outcome.message !== '') json.successMessage = outcome.message;
  }
  if (formName !== undefined) json.formName = formName;
  return json;
}

/**
 * `/form/submit/ajax` (§4.3) wraps the AJAX JSON: `message` and `type` are
 * added and `success` becomes a boolean.
 */
export function wrapAjaxJson(json: Record<string, unknown>): Record<string, unknown> {
  const success = json.errorMessage === undefined && json.validationErrors === undefined;
  const message = (json.successMessage ?? json.errorMessage ?? '') as string;
  const type = json.successMessage !== undefined ? 'notice' : json.errorMessage !== undefined ? 'error' : '';
  return { ...json, success, message, type };
}

/** Classic-mode error text: the plain message for a pre-check, an ordered list for field errors. */
export function errorHtml(outcome: SubmitOutcome): string {
  if (outcome.kind === 'unavailable') return outcome.message;
  if (outcome.kind !== 'invalid') return '';
  const items = Object.values(outcome.errors).map((message) => `<li>${message}</li>`);
  return `Errors:<br /><ol>${items.join('')}</ol>`;
}
