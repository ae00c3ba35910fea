/**
 * An answer as data: handlers return one, and one writer puts it on the wire. This keeps
 * a dry run's answer exactly the answer it would have been (docs/architecture.md §5), and
 * reproduces Symfony's conventions (docs/mautic/public-http.md §2.6, §2.7).
 */
import type { Response } from 'express';
import { NON_GET_PIXEL_BODY, NON_GET_PIXEL_CONTENT_TYPE, TRACKING_GIF, trackingGifHeaders } from '../../legacy-adapter/src/codecs/gif.ts';
import { phpJsonEncode } from '../../legacy-adapter/src/codecs/php-json.ts';
import { redirectPage } from '../../legacy-adapter/src/codecs/symfony-pages.ts';

/** What to send. */
export interface Answer {
  status: number;
  /** Headers exactly as written (no charset added). */
  headers: Record<string, string>;
  /** Set-Cookie values; a later one of the same name replaces an earlier one, as Symfony's header bag does. */
  cookies: string[];
  body: Buffer | string;
}

/** Symfony's Cache-Control when a response sets none. */
export const SYMFONY_CACHE_CONTROL = 'no-cache, private';

/** A body with its Content-Type and Symfony's default Cache-Control. */
export function bodyAnswer(status: number, contentType: string, body: string, cookies: string[] = []): Answer {
  return { status, headers: { 'Content-Type': contentType, 'Cache-Control': SYMFONY_CACHE_CONTROL }, cookies, body };
}

/** JsonResponse: `application/json`, the HEX escape flags (§2.7). */
export function jsonAnswer(value: unknown, cookies: string[] = []): Answer {
  return bodyAnswer(200, 'application/json', phpJsonEncode(value), cookies);
}

/** The pixel: the GIF and its headers for GET, one space otherwise (§2.6). */
export function pixelAnswer(method: string, httpVersion: string, cookies: string[]): Answer {
  if (method !== 'GET') return bodyAnswer(200, NON_GET_PIXEL_CONTENT_TYPE, NON_GET_PIXEL_BODY, cookies);
  return { status: 200, headers: trackingGifHeaders(httpVersion), cookies, body: TRACKING_GIF };
}

/** RedirectResponse: 302, `Location` as given, Symfony's meta-refresh page. */
export function redirectAnswer(location: string, cookies: string[]): Answer {
  const answer = bodyAnswer(302, 'text/html; charset=UTF-8', redirectPage(location), cookies);
  answer.headers.Location = location;
  return answer;
}

const cookieName = (setCookie: string): string => setCookie.slice(0, setCookie.indexOf('='));

/** Writes `answer` (HEAD: headers only). Headers already on `res` (CORS) stay. */
export function writeAnswer(res: Response, answer: Answer): void {
  const bytes = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', String(bytes.length));
  if (answer.cookies.length > 0) {
    const byName = new Map<string, string>();
    for (const cookie of answer.cookies) byName.set(cookieName(cookie), cookie);
    res.setHeader('Set-Cookie', [...byName.values()]);
  }
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}
