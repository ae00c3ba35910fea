/**
 * `POST /form/submit` and `POST /form/submit/ajax` (docs/mautic/public-http.md §4.2, §4.3):
 * the request read once, then the whole submission (form, checks, contact and company, rows,
 * form actions and campaigns, files) in one transaction, answered in the requested mode. A dry
 * run (`X-Strangler-Mode: shadow`, docs/architecture.md §5) does the same work at READ COMMITTED
 * with short lock timeouts, rolls it back, stores no file, and answers the same.
 */
import type { Request, RequestHandler } from 'express';
import { cleanReturnUrl, pageLinkIds, redirectTarget } from '../../../../legacy-adapter/src/codecs/form-return-url.ts';
import { FIELD_MESSAGES } from '../../../../legacy-adapter/src/codecs/form-field-rules.ts';
import { queryString } from '../../../../legacy-adapter/src/codecs/php-query.ts';
import { loadForm, parseFormId, unavailableReason } from '../../../../legacy-adapter/src/data/form-definition.ts';
import type { Form, SubmittedValue } from '../../../../legacy-adapter/src/data/form-definition.ts';
import { findLeadById } from '../../../../legacy-adapter/src/data/contacts.ts';
import { linkSubmittedCompany, toCompanyValues } from '../../../../legacy-adapter/src/data/companies.ts';
import { companyChangeOf, runAfterSubmission } from '../../../../legacy-adapter/src/data/form-action-runner.ts';
import { toUtcDateTime } from '../../../../legacy-adapter/src/data/row-codec.ts';
import { landingPageExists, landingPageUrls } from '../../../../legacy-adapter/src/data/pages.ts';
import type { Db, TransactionOptions } from '../../../../legacy-adapter/src/db/types.ts';
import type { VisitorContext } from '../../../service-kit/visitor/visitor-context.ts';
import { headerOf } from '../../../service-kit/visitor/tracking-request.ts';
import { writeAnswer } from '../../../service-kit/answer.ts';
import type { Answer } from '../../../service-kit/answer.ts';
import { isDryRun, markGaveUp } from '../../../service-kit/dry-run.ts';
import type { FormsConfig } from '../config.ts';
import { checkFields } from '../domain/check-fields.ts';
import { flashCookie } from '../domain/flash-cookie.ts';
import { readFormRequest } from '../domain/form-request.ts';
import type { FormRequest } from '../domain/form-request.ts';
import { saveSubmission } from '../domain/save-submission.ts';
import { contactOfSubmission, trackedContactBefore } from '../domain/submission-contact.ts';
import { dropHiddenFieldErrors } from '../../../../legacy-adapter/src/data/form-progressive-profiling.ts';
import { answerOf, modeOf } from '../domain/submission-outcome.ts';
import type { Outcome, ReplyMode } from '../domain/submission-outcome.ts';
import { storeUploads } from '../domain/uploads.ts';
import { FormsError } from '../errors.ts';
import { errorAnswer, toFormsError } from './error-answer.ts';

/** What the submit handlers share. */
export interface SubmitDeps {
  db: Db;
  config: FormsConfig;
  now: () => Date;
  /** Errors that became a 5xx answer. */
  logError: (err: unknown, req: Request) => void;
}

const text = (value: SubmittedValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

function replyModeOf(request: FormRequest, wrapped: boolean, config: FormsConfig): ReplyMode {
  const siteUrl = config.mautic.siteUrl;
  return {
    flash: (flash) => flashCookie(flash, { ...config.mautic, secretKey: config.secretKey }, request.now),
    mode: wrapped ? 'ajax' : modeOf(queryString(request.get, 'ajax'), text(request.fields.messenger)),
    wrapped,
    formName: text(request.fields.formName),
    returnUrl: cleanReturnUrl(text(request.fields.return) || headerOf(request, 'referer') || undefined),
    formAlias: undefined,
    messagePath: `${new URL(siteUrl).pathname.replace(/\/+$/, '')}/form/message`,
  };
}

async function pageIdOf(db: Db, raw: string | undefined): Promise<number | null> {
  if (!raw || !/^\d{1,10}$/.test(raw)) return null;
  return (await landingPageExists(db, Number(raw))) ? Number(raw) : null;
}

/** The submission itself, inside the transaction. Files are stored only when `storeFiles`. */
async function submit(ctx: VisitorContext, deps: SubmitDeps, request: FormRequest, reply: ReplyMode, storeFiles: boolean): Promise<{ outcome: Outcome; cookies: string[] }> {
  const form: Form | undefined = await loadForm(ctx.db, parseFormId(request.fields.formId));
  reply.formAlias = form?.alias;
  const unavailable = unavailableReason(form, request.now);
  if (unavailable || !form) return { outcome: { kind: 'unavailable', message: unavailable ?? FIELD_MESSAGES.notAvailable }, cookies: [] };
  const verdict = checkFields(form, request.fields, request.files);
  const errors = await dropHiddenFieldErrors(ctx.db, form, verdict.errors, () => trackedContactBefore(ctx, request));
  if (Object.keys(errors).length > 0) return { outcome: { kind: 'invalid', errors }, cookies: [] };
  const contact = await contactOfSubmission(ctx, request, form, verdict.contactValues);
  await linkSubmittedCompany(ctx.db, contact.lead.id, toCompanyValues(verdict.companyValues), companyChangeOf(form, toUtcDateTime(request.now)));
  const referer = reply.returnUrl || cleanReturnUrl(headerOf(request, 'referer') || undefined);
  const submissionId = await saveSubmission(ctx.db, form, verdict.results, contact, { referer, pageId: await pageIdOf(ctx.db, text(request.fields.mauticpage)), now: request.now });
  await runAfterSubmission(ctx.db, { form, formType: form.formType, leadId: contact.lead.id, ipId: contact.ipId, when: toUtcDateTime(request.now) });
  if (storeFiles && verdict.uploads.length > 0) request.removeUploads = await storeUploads(deps.config.uploadDir, form.id, submissionId, verdict.uploads);
  const template = form.postAction === 'redirect' ? form.postActionProperty : '';
  // {contactfield=…} reads the contact as the actions left it (points, company).
  const lead = template ? ((await findLeadById(ctx.db, contact.lead.id)) ?? contact.lead) : contact.lead;
  const redirect = template
    ? redirectTarget(template, verdict.results, lead as unknown as Record<string, unknown>, await landingPageUrls(ctx.db, pageLinkIds(template), ctx.config.mautic.siteUrl))
    : undefined;
  return { outcome: { kind: 'saved', results: verdict.results, postAction: form.postAction, message: form.postActionProperty, redirect }, cookies: contact.cookies };
}

function transactionOptions(config: FormsConfig, dryRun: boolean): TransactionOptions {
  return dryRun ? { rollbackOnly: true, isolationLevel: 'read-committed', lockWaitTimeoutMs: config.dryRunLockTimeoutMs } : {};
}

/**
 * The handler of both submit routes.
 *
 * @param wrapped - true for `/form/submit/ajax`
 */
export function submitHandler(deps: SubmitDeps, wrapped: boolean): RequestHandler {
  // Forms tracks visitors as Mautic's ContactTracker does, without the tracking service's extra bot list.
  const visitors: VisitorContext['config'] = { mautic: deps.config.mautic, botDetector: 'mautic-list' };
  return async function submitForm(req, res) {
    const dryRun = isDryRun(req);
    let answer: Answer;
    let request: FormRequest | undefined;
    try {
      if (req.method !== 'POST') throw new FormsError('FORMS_ERR_ACCESS_DENIED', { uri: req.originalUrl });
      request = await readFormRequest(req, deps.config.maxBodyBytes, deps.now());
      const reply = replyModeOf(request, wrapped, deps.config);
      const current = request;
      const { outcome, cookies } = await deps.db.transaction(
        (tx) => submit({ db: tx, config: visitors }, deps, current, reply, !dryRun),
        transactionOptions(deps.config, dryRun),
      );
      answer = answerOf(outcome, reply, cookies);
    } catch (err) {
      await request?.removeUploads?.();
      const error = toFormsError(err, dryRun);
      if (error.code === 'FORMS_ERR_DRY_RUN_GAVE_UP') markGaveUp(res, 'lock-timeout');
      else if (error.status >= 500) deps.logError(err, req);
      answer = errorAnswer(error, req.get('accept') ?? '');
    }
    writeAnswer(res, answer);
  };
}
