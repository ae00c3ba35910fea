/**
 * What every upstream of the benchmark answers: Mautic's 43-byte tracking GIF
 * with the headers Mautic sends with it (docs/mautic/public-http.md §2.6).
 */

/** The tracking pixel. */
export const TRACKING_GIF = Buffer.from('R0lGODlhAQABAJAAAP8AAAAAACH5BAUQAAAALAAAAAABAAEAAAICBAEAOw==', 'base64');

/** Response headers besides Date, Connection and Keep-Alive. */
export const TRACKING_GIF_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'image/gif',
  'content-length': String(TRACKING_GIF.length),
  'cache-control': 'no-cache=Set-Cookie, private, proxy-revalidate',
  pragma: 'no-cache',
};
