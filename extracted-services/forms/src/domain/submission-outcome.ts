/**
 * What a submission came to, and how each response mode renders it
 * (docs/mautic/public-http.md §4.2 "Responses", §4.3): classic (302s), messenger (an HTML page
 * posting the JSON to its parent) and AJAX (JSON; `/form/submit/ajax` wraps it).
 */
import { messengerPage } from '../../../../legacy-adapter/src/codecs/form-html-pages.ts';
import { appendParam } from '../../../../legacy-adapter/src/codecs/form-return-url.ts';
import { phpRawurlencode } from '../../../../legacy-adapter/src/codecs/php-url.ts';
import { FIELD_MESSAGES } from '../../../../legacy-adapter/src/codecs/form-field-rules.ts';
import type { PostAction } from '../../../../legacy-adapter/src/data/form-definition.ts';
import { bodyAnswer, jsonAnswer, redirectAnswer } from '../../../service-kit/answer.ts';
import type { Answer } from '../../../service-kit/answer.ts';
import type { Flash } from './flash-cookie.ts';

/** The outcome before rendering. */
export type Outcome =
  | { kind: 'unavailable'; message: string }
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'saved'; results: Record<string, string>; postAction: PostAction; message: string; redirect?: string };

/** How the client asked to be answered. */
export interface ReplyMode {
  mode: 'classic' | 'messenger' | 'ajax';
  /** `/form/submit/ajax`: the JSON gets `message`, `type` and a boolean `success` (§4.3). */
  wrapped: boolean;
  /** `mauticform[formName]`, echoed only when posted. */
  formName: string | undefined;
  /** The cleaned return URL ('' when none). */
  returnUrl: string;
  /** The form alias, the fragment after a classic error redirect. */
  formAlias: string | undefined;
  /** The path of `/form/message` under `site_url`. */
  messagePath: string;
  /** The Set-Cookie carrying a flash to `/form/message` (flash-cookie.ts), or undefined. */
  flash: (flash: Flash) => string | undefined;
}

/** Mode selection (§4.2): a truthy `?ajax`, then a non-empty `mauticform[messenger]`, else classic. */
export function modeOf(ajax: string | undefined, messenger: string | undefined): ReplyMode['mode'] {
  if (ajax !== undefined && ajax !== '' && ajax !== '0') return 'ajax';
  return messenger && messenger !== '0' ? 'messenger' : 'classic';
}

function outcomeJson(outcome: Outcome, formName: string | undefined): Record<string, unknown> {
  const json: Record<string, unknown> = { success: outcome.kind === 'saved' ? 1 : 0 };
  if (outcome.kind === 'unavailable') json.errorMessage = outcome.message;
  else if (outcome.kind === 'invalid') json.validationErrors = outcome.errors;
  else {
    json.results = outcome.results;
    if (outcome.redirect !== undefined) json.redirect = outcome.redirect;
    else if (outcome.message !== '') json.successMessage = outcome.message;
  }
  if (formName !== undefined) json.formName = formName;
  return json;
}

function wrapped(json: Record<string, unknown>): Record<string, unknown> {
  const failed = json.errorMessage !== undefined || json.validationErrors !== undefined;
  const type = json.successMessage !== undefined ? 'notice' : json.errorMessage !== undefined ? 'error' : '';
  return { ...json, success: !failed, message: json.successMessage ?? json.errorMessage ?? '', type };
}

function errorText(outcome: Outcome): string {
  if (outcome.kind === 'unavailable') return outcome.message;
  if (outcome.kind !== 'invalid') return '';
  return `Errors:<br /><ol>${Object.values(outcome.errors).map((m) => `<li>${m}</li>`).join('')}</ol>`;
}

/**
 * Classic mode. The flash Mautic keeps in its PHP session for `/form/message` travels in the
 * service's signed flash cookie instead: the redirect is the same (README).
 */
function classicAnswer(outcome: Outcome, reply: ReplyMode, cookies: string[]): Answer {
  const { returnUrl } = reply;
  const toMessage = (message: string, type: string): Answer => {
    const flash = reply.flash({ message, type });
    return redirectAnswer(reply.messagePath, flash === undefined ? cookies : [...cookies, flash]);
  };
  if (outcome.kind !== 'saved') {
    if (!returnUrl) return toMessage(errorText(outcome), 'error');
    const fragment = reply.formAlias ? `#${reply.formAlias.toLowerCase()}` : '';
    return redirectAnswer(`${appendParam(returnUrl, 'mauticError', phpRawurlencode(errorText(outcome)))}${fragment}`, cookies);
  }
  if (outcome.redirect !== undefined) return redirectAnswer(outcome.redirect, cookies);
  if (outcome.postAction === 'return' && returnUrl) {
    return redirectAnswer(outcome.message ? appendParam(returnUrl, 'mauticMessage', phpRawurlencode(outcome.message)) : returnUrl, cookies);
  }
  return toMessage(outcome.postAction === 'return' ? FIELD_MESSAGES.thankYou : outcome.message, 'notice');
}

/** Renders `outcome` in the requested mode. */
export function answerOf(outcome: Outcome, reply: ReplyMode, cookies: string[]): Answer {
  if (reply.mode === 'classic') return classicAnswer(outcome, reply, cookies);
  const json = outcomeJson(outcome, reply.formName);
  if (reply.mode === 'ajax') return jsonAnswer(reply.wrapped ? wrapped(json) : json, cookies);
  return bodyAnswer(200, 'text/html; charset=UTF-8', messengerPage(json), cookies);
}

