/**
 * `GET /form/message` (docs/mautic/public-http.md §4.4): the flash of a classic submission in
 * the message page, 200 HTML, from the service's signed flash cookie (domain/flash-cookie.ts);
 * without one, or with one not signed with `secret_key`, the page is empty, as Mautic's is
 * without a flash.
 */
import type { RequestHandler } from 'express';
import { messagePage } from '../../../../legacy-adapter/src/codecs/form-html-pages.ts';
import { parseCookieHeader } from '../../../../legacy-adapter/src/codecs/request-cookies.ts';
import { bodyAnswer, writeAnswer } from '../../../service-kit/answer.ts';
import { FLASH_COOKIE, readFlash } from '../domain/flash-cookie.ts';

/** The handler; `secretKey` checks the cookie's signature. */
export function messageHandler(secretKey: string): RequestHandler {
  return function showMessage(req, res) {
    const flash = readFlash(parseCookieHeader(req.headers.cookie).get(FLASH_COOKIE), secretKey);
    writeAnswer(res, bodyAnswer(200, 'text/html; charset=UTF-8', messagePage(flash?.message ?? '', flash?.type ?? 'notice')));
  };
}
