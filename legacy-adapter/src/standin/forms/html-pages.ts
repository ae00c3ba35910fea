import { escapeHtml, escapeJsString } from './php-text.ts';

/**
 * The small HTML pages the public form endpoints answer with. Mautic renders
 * them through the theme; these keep the parts clients and diffs look at:
 * status, content type, the message text, and the messenger script.
 */

/** The page of `GET /form/message` (§4.4): the flash message (HTML, rendered as is) in the theme's message template. */
export function messagePage(message: string, type: string): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head><meta charset="UTF-8" /><title>Message</title><meta name="robots" content="noindex" /></head>',
    `<body><div class="mautic-message mautic-message-${escapeHtml(type)}"><div class="message">${message}</div></div></body>`,
    '</html>',
    '',
  ].join('\n');
}

/**
 * Messenger mode (§4.2): a minimal page whose script posts the AJAX JSON to the
 * parent window, JS-string-escaped as Twig's `e('js')` does.
 */
export function messengerPage(json: Record<string, unknown>): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head><meta charset="UTF-8" /><title>Form</title></head>',
    '<body>',
    `<script type="text/javascript">parent.postMessage("${escapeJsString(JSON.stringify(json))}", '*');</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Symfony's `RedirectResponse` body (§2.7): a meta refresh and a link. */
export function redirectPage(url: string): string {
  const safe = escapeHtml(url);
  return [
    '<!DOCTYPE html>',
    '<html>',
    '    <head>',
    '        <meta charset="UTF-8" />',
    `        <meta http-equiv="refresh" content="0;url='${safe}'" />`,
    '',
    `        <title>Redirecting to ${safe}</title>`,
    '    </head>',
    '    <body>',
    `        Redirecting to <a href="${safe}">${safe}</a>.`,
    '    </body>',
    '</html>',
  ].join('\n');
}

/** Public error page (§2.7): 404 `Requested URL not found: <uri>`, 403 `Unauthorized access to requested URL: <uri>`. */
export function errorPage(status: 403 | 404, uri: string): string {
  const message = status === 404 ? `Requested URL not found: ${uri}` : `Unauthorized access to requested URL: ${uri}`;
  return [
    '<!DOCTYPE html>',
    '<html>',
    `<head><meta charset="UTF-8" /><title>${status}</title></head>`,
    `<body><div class="mautic-error"><h1>${status}</h1><p>${escapeHtml(message)}</p></div></body>`,
    '</html>',
    '',
  ].join('\n');
}
