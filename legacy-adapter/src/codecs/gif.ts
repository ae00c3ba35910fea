/**
 * The 1×1 tracking GIF and the headers Mautic sends with it
 * (TrackingPixelHelper, docs/mautic/public-http.md §2.6).
 */

/** The 43-byte body, decoded from Mautic's base64 literal. */
export const TRACKING_GIF: Buffer = Buffer.from('R0lGODlhAQABAJAAAP8AAAAAACH5BAUQAAAALAAAAAABAAEAAAICBAEAOw==', 'base64');

/** Blank placeholder pixel used in web views and previews (MailHelper::getBlankPixel, §2.6). */
export const BLANK_PIXEL_DATA_URI = 'data:image/gif;base64,R0lGODlhAQABAAD/ACwAAAAAAQABAAACADs=';

/**
 * Header set of a GET answered with the GIF. `Connection: close` is sent only
 * for HTTP/1.1, as PHP does. Cache-Control is the wire value after Symfony
 * re-sorts Mautic's directives (§2.6, inferred there).
 *
 * @param httpVersion the request's HTTP version, e.g. '1.1'.
 */
export function trackingGifHeaders(httpVersion: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'image/gif',
    'Content-Length': String(TRACKING_GIF.length),
    'Content-Encoding': 'none',
    Expires: 'Wed, 11 Jan 2000 12:59:00 GMT',
    'Last-Modified': 'Wed, 11 Jan 2006 12:59:00 GMT',
    Pragma: 'no-cache',
    'Cache-Control': 'no-cache=Set-Cookie, private, proxy-revalidate',
  };
  if (httpVersion === '1.1') headers.Connection = 'close';
  return headers;
}

/** Body of the non-GET answer (POST, HEAD, …): one space (§2.6). */
export const NON_GET_PIXEL_BODY = ' ';
/** Content-Type of the non-GET answer: Symfony's default for a text response (§2.6, §2.7). */
export const NON_GET_PIXEL_CONTENT_TYPE = 'text/html; charset=UTF-8';
