/**
 * The small HTML pages Mautic's framework writes (docs/mautic/public-http.md §2.7):
 * Symfony's RedirectResponse body, and Mautic's error page and generic error message.
 */

/** htmlspecialchars($s, ENT_QUOTES, 'UTF-8'). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#039;');
}

/** The body of a Symfony RedirectResponse to `url` (meta refresh and a link). */
export function redirectPage(url: string): string {
  const u = escapeHtml(url);
  return `<!DOCTYPE html>
<html>
    <head>
        <meta charset="UTF-8" />
        <meta http-equiv="refresh" content="0;url='${u}'" />

        <title>Redirecting to ${u}</title>
    </head>
    <body>
        Redirecting to <a href="${u}">${u}</a>.
    </body>
</html>`;
}

/** Mautic's message for errors it does not disclose (§2.7). */
export function genericErrorMessage(status: number): string {
  return `Looks like I encountered an error (error #${status}). If I do it again, please report me to the system administrator!`;
}

/** The HTML error page for an anonymous visitor: `<status> <reason>` and the message. */
export function errorPage(title: string, message: string): string {
  return `<!DOCTYPE html>
<html>
<head><meta charset="UTF-8" /><title>${escapeHtml(title)}</title></head>
<body>
<div class="error-page"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></div>
</body>
</html>
`;
}
