/**
 * Response writers that reproduce Symfony's defaults as Mautic sends them
 * (docs/mautic/public-http.md §2.7): `text/*` gets `; charset=UTF-8`, JSON uses the
 * JsonResponse escape flags, redirects carry Symfony's small HTML body.
 */
import type { Response } from 'express';
import { phpJsonEncode } from '../codecs/php-json.ts';
import { escapeHtml, redirectPage } from '../codecs/symfony-pages.ts';

/** Symfony's Cache-Control for a response that set none. */
export const SYMFONY_DEFAULT_CACHE_CONTROL = 'no-cache, private';

export { escapeHtml };

/**
 * Sets headers exactly as given. Express's `res.set` would append
 * `; charset=utf-8` to some Content-Types, which Symfony does not.
 */
export function setHeaders(res: Response, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/** Sends `body` with exactly this Content-Type (HEAD: headers only). */
export function sendBody(res: Response, status: number, contentType: string, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.status(status);
  setHeaders(res, { 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

/**
 * Sends a JsonResponse: Content-Type exactly `application/json`, no charset (§2.7; written
 * with `setHeader`, so Express adds nothing), body with the HEX flags.
 */
export function sendJson(res: Response, status: number, value: unknown): void {
  sendBody(res, status, 'application/json', phpJsonEncode(value));
}

/** Sends an HTML body as `text/html; charset=UTF-8`. */
export function sendHtml(res: Response, status: number, html: string): void {
  sendBody(res, status, 'text/html; charset=UTF-8', html);
}

/**
 * Symfony RedirectResponse: `Location` as given (not made absolute) and its
 * meta-refresh body.
 *
 * @param status 302 by default, as in Symfony.
 */
export function sendRedirect(res: Response, url: string, status = 302): void {
  const body = redirectPage(url);
  res.setHeader('Location', url);
  sendHtml(res, status, body);
}
