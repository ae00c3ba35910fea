import type { Request, Response } from 'express';
import { clockOf, type StandinDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { escapeHtml, sendHtml, sendRedirect } from '../responses.ts';
import { unavailableReason } from '../../data/form-definition.ts';
import type { FlashSessions } from './flash-session.ts';
import type { Form } from '../../data/form-definition.ts';
import { messagePage } from '../../codecs/form-html-pages.ts';
import { loadForm } from '../../data/form-definition.ts';
import { renderFormHtml } from './form-html.ts';

/**
 * The read-only form endpoints (docs/mautic/public-http.md §4.4): `/form/message`,
 * `/form/{id}`, `/form/embed/{id}` and `/form/generate.js`.
 */

/** A published form that accepts submissions now, by the raw route or query id; undefined otherwise. */
async function publishedForm(deps: StandinDeps, raw: unknown): Promise<Form | undefined> {
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) return undefined;
  const form = await loadForm(deps.db, Number(raw));
  return form && unavailableReason(form, clockOf(deps)()) === undefined ? form : undefined;
}

/** `GET /form/message`: the session's flash in the message template, 200 HTML (empty when none). */
export function showMessage(sessions: FlashSessions, req: Request, res: Response): void {
  const flash = sessions.read(req.headers.cookie);
  sendHtml(res, 200, messagePage(flash?.message ?? '', flash?.type ?? 'notice'));
}

/** `GET /form/{id}`: the standalone form page; 404 for a missing or unpublished form. */
export async function showForm(deps: StandinDeps, req: Request, res: Response): Promise<void> {
  const form = await publishedForm(deps, req.params.id);
  if (!form) throw notFound(req.originalUrl);
  const robots = form.noIndex ? 'noindex' : 'index';
  const css = typeof req.query.css === 'string' && req.query.css !== ''
    ? req.query.css.split(',').map((href) => `<link rel="stylesheet" type="text/css" href="${escapeHtml(href.trim())}" />`).join('')
    : '';
  sendHtml(res, 200, [
    '<!DOCTYPE html>',
    '<html>',
    `<head><meta charset="UTF-8" /><title>${escapeHtml(form.name)}</title><meta name="robots" content="${robots}" />${css}</head>`,
    `<body>${renderFormHtml(form, deps.config.siteUrl)}</body>`,
    '</html>',
    '',
  ].join('\n'));
}

/** `GET /form/embed/{id}`: the bare form HTML; 404 with an empty body when it is not published. */
export async function embedForm(deps: StandinDeps, req: Request, res: Response): Promise<void> {
  const form = await publishedForm(deps, req.params.id);
  if (!form) {
    res.status(404).setHeader('Content-Type', 'text/html; charset=UTF-8');
    res.end();
    return;
  }
  sendHtml(res, 200, renderFormHtml(form, deps.config.siteUrl));
}

/** The script body of `/form/generate.js` for a published form. */
export function generateScript(form: Form, siteUrl: string): string {
  const html = renderFormHtml(form, siteUrl).replace(/[\r\n]+/g, '').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return [
    '(function () {',
    `  var MauticDomain = "${siteUrl}";`,
    "  window.MauticDomain = MauticDomain; window.MauticLang = { submittingMessage: 'Please wait...' };",
    `  var html = "${html}";`,
    '  var script = document.currentScript;',
    '  if (script) { script.insertAdjacentHTML("afterend", html); } else { document.write(html); }',
    '  if (typeof window.MauticSDKLoaded === "undefined") {',
    '    window.MauticSDKLoaded = true;',
    '    var sdk = document.createElement("script"); sdk.type = "text/javascript"; sdk.src = MauticDomain + "/media/js/mautic-form.js";',
    '    sdk.onload = function () { if (window.MauticSDK) { window.MauticSDK.onLoad(); } };',
    '    document.getElementsByTagName("head")[0].appendChild(sdk);',
    '  }',
    '})();',
    '',
  ].join('\n');
}

/** `GET /form/generate.js?id=N` (non-trackable): the script, or an empty body; `?id=mf-N` → 302 to the focus script. */
export async function generateJs(deps: StandinDeps, req: Request, res: Response): Promise<void> {
  const id = typeof req.query.id === 'string' ? req.query.id : '';
  const focus = /^mf-(\d+)$/.exec(id);
  if (focus) {
    sendRedirect(res, `${deps.config.siteUrl}/focus/${focus[1]}.js`);
    return;
  }
  const form = await publishedForm(deps, id);
  // setHeader + a Buffer keep Symfony's `UTF-8` spelling; Express would rewrite it.
  res.status(200).setHeader('Content-Type', 'text/javascript; charset=UTF-8');
  res.end(Buffer.from(form ? generateScript(form, deps.config.siteUrl) : '', 'utf8'));
}
