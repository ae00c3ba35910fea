import { escapeHtml, escapeJsString } from './php-text.ts';

/**
 * The small HTML pages the public form endpoints answer with. Mautic renders
 * them through the theme; these keep the parts clients and diffs look at:
 * the message text and the messenger script. Redirect and error pages are the
 * stand-in's shared ones (responses.ts, error-handler.ts).
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
