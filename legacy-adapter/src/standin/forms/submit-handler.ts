import type { Request, Response } from 'express';
import { parsePhpQuery } from '../../codecs/php-query.ts';
import { phpRawurlencode } from '../../codecs/php-url.ts';
import { landingPageExists, landingPageUrls } from '../../data/pages.ts';
import { findLeadById } from '../../data/contacts.ts';
import { linkSubmittedCompany, toCompanyValues } from '../../data/companies.ts';
import { companyChangeOf, runAfterSubmission } from '../../data/form-action-runner.ts';
import { toUtcDateTime } from '../../data/row-codec.ts';
import { clockOf, type StandinDeps } from '../deps.ts';
import { StandinError } from '../errors.ts';
import { sendHtml, sendJson, sendRedirect } from '../responses.ts';
import { rawQueryString } from '../tracking/request-input.ts';
import { unavailableReason } from '../../data/form-definition.ts';
import type { FlashSessions } from './flash-session.ts';
import { FIELD_MESSAGES } from '../../codecs/form-field-rules.ts';
import type { Form, SubmittedValue } from '../../data/form-definition.ts';
import { messengerPage } from '../../codecs/form-html-pages.ts';
import { loadForm, parseFormId } from '../../data/form-definition.ts';
import { readFormPost } from './read-form-body.ts';
import { appendParam, cleanReturnUrl, pageLinkIds, redirectTarget } from '../../codecs/form-return-url.ts';
import { saveSubmission } from './save-submission.ts';
import { contactForSubmission, trackedContactBefore } from './submit-contact.ts';
import { dropHiddenFieldErrors } from '../../data/form-progressive-profiling.ts';
import { errorHtml, outcomeJson, selectMode, wrapAjaxJson, type SubmitMode, type SubmitOutcome } from './submit-outcome.ts';
import { validateSubmission } from './validate-submission.ts';

/**
 * `POST /form/submit` and `POST /form/submit/ajax` (docs/mautic/public-http.md §4.2,
 * §4.3): read the `mauticform` post, run the pre-checks and field validation,
 * save contact and rows, and answer in the requested mode.
 */

const CONTROL_KEYS = ['formId', 'return', 'formName', 'messenger', 'mauticpage'] as const;

/** What rendering an outcome needs besides the outcome. */
interface ReplyContext {
  mode: SubmitMode;
  /** True on `/form/submit/ajax`, whose JSON is wrapped (§4.3). */
  wrapped: boolean;
  formName: string | undefined;
  returnUrl: string;
  form: Form | undefined;
  cookies: string[];
}

const text = (value: SubmittedValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** `mauticform[mauticpage]` when it names an existing landing page (the `pages` table may be absent in the embedded schema). */
async function pageIdOf(deps: StandinDeps, raw: string | undefined): Promise<number | null> {
  if (!raw || !/^\d{1,10}$/.test(raw)) return null;
  return (await landingPageExists(deps.db, Number(raw))) ? Number(raw) : null;
}

/** The path of `/form/message` under `site_url` (Symfony generates a host-relative path). */
function messagePath(siteUrl: string): string {
  return `${new URL(siteUrl).pathname.replace(/\/+$/, '')}/form/message`;
}

function reply(deps: StandinDeps, sessions: FlashSessions, req: Request, res: Response, outcome: SubmitOutcome, ctx: ReplyContext): void {
  if (ctx.cookies.length > 0) res.append('Set-Cookie', ctx.cookies);
  const json = outcomeJson(outcome, ctx.formName);
  if (ctx.mode === 'ajax') return sendJson(res, 200, ctx.wrapped ? wrapAjaxJson(json) : json);
  if (ctx.mode === 'messenger') return sendHtml(res, 200, messengerPage(json));
  const flash = (message: string, type: string) => {
    const cookie = sessions.write(req.headers.cookie, { message, type }, clockOf(deps)());
    if (cookie) res.append('Set-Cookie', cookie);
    sendRedirect(res, messagePath(deps.config.siteUrl));
  };
  if (outcome.kind !== 'saved') {
    if (!ctx.returnUrl) return flash(errorHtml(outcome), 'error');
    const fragment = ctx.form ? `#${ctx.form.alias.toLowerCase()}` : '';
    return sendRedirect(res, `${appendParam(ctx.returnUrl, 'mauticError', phpRawurlencode(errorHtml(outcome)))}${fragment}`);
  }
  if (outcome.redirect !== undefined) return sendRedirect(res, outcome.redirect);
  if (outcome.postAction === 'return' && ctx.returnUrl) {
    return sendRedirect(res, outcome.message ? appendParam(ctx.returnUrl, 'mauticMessage', phpRawurlencode(outcome.message)) : ctx.returnUrl);
  }
  flash(outcome.postAction === 'return' ? FIELD_MESSAGES.thankYou : outcome.message, 'notice');
}

/**
 * Handles a submission.
 *
 * @param wrapped - true for `/form/submit/ajax`
 * @throws StandinError 403 for any method but POST (§4.2)
 */
export async function submitForm(deps: StandinDeps, sessions: FlashSessions, req: Request, res: Response, wrapped: boolean): Promise<void> {
  if (req.method !== 'POST') throw new StandinError('STANDIN_ERR_ACCESS_DENIED', { uri: req.originalUrl });
  const post = await readFormPost(req);
  const values = { ...post.fields };
  for (const key of CONTROL_KEYS) delete values[key];
  const ctx: ReplyContext = {
    mode: wrapped ? 'ajax' : selectMode(req.query.ajax, text(post.fields.messenger)),
    wrapped,
    formName: text(post.fields.formName),
    returnUrl: cleanReturnUrl(text(post.fields.return) || req.get('referer')),
    form: undefined,
    cookies: [],
  };
  const now = clockOf(deps)();
  const form = await loadForm(deps.db, parseFormId(post.fields.formId));
  ctx.form = form;
  const unavailable = unavailableReason(form, now);
  if (unavailable || !form) return reply(deps, sessions, req, res, { kind: 'unavailable', message: unavailable ?? FIELD_MESSAGES.notAvailable }, ctx);

  const query = parsePhpQuery(rawQueryString(req));
  const check = validateSubmission(form, { values, files: post.files });
  const errors = await dropHiddenFieldErrors(deps.db, form, check.errors, () => trackedContactBefore(deps, req, query));
  if (Object.keys(errors).length > 0) return reply(deps, sessions, req, res, { kind: 'invalid', errors }, ctx);

  const contact = await contactForSubmission(deps, req, form, check.contactValues, query);
  await linkSubmittedCompany(deps.db, contact.lead.id, toCompanyValues(check.companyValues), companyChangeOf(form, toUtcDateTime(now)));
  const referer = ctx.returnUrl || cleanReturnUrl(req.get('referer'));
  await saveSubmission(deps.db, form, check.results, contact, { referer, pageId: await pageIdOf(deps, text(post.fields.mauticpage)), now });
  await runAfterSubmission(deps.db, { form, formType: form.formType, leadId: contact.lead.id, ipId: contact.ipId, when: toUtcDateTime(now) });
  ctx.cookies = contact.cookies;
  const template = form.postAction === 'redirect' ? form.postActionProperty : '';
  const lead = template ? ((await findLeadById(deps.db, contact.lead.id)) ?? contact.lead) : contact.lead;
  const redirect = template
    ? redirectTarget(template, check.results, lead as unknown as Record<string, unknown>, await landingPageUrls(deps.db, pageLinkIds(template), deps.config.siteUrl))
    : undefined;
  reply(deps, sessions, req, res, { kind: 'saved', results: check.results, postAction: form.postAction, message: form.postActionProperty, redirect }, ctx);
}
