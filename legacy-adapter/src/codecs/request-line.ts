/**
 * The web server's request-line limit in front of Mautic (docs/mautic/public-http.md §1.2):
 * Apache's `LimitRequestLine` default is 8190 bytes, and a longer request line is answered
 * 414 before PHP runs, so no hit is recorded. Node's HTTP parser must accept such a line to
 * answer it, hence a parser limit above it.
 */

/** Apache's default `LimitRequestLine`, in bytes. */
export const REQUEST_LINE_LIMIT_BYTES = 8190;

/** `maxHeaderSize` for servers that reproduce the 414 (Node's default, 16 KiB, would cut the connection). */
export const PARSER_HEADER_LIMIT_BYTES = 256 * 1024;

/**
 * True when `METHOD SP target SP HTTP/x.y` is longer than the limit.
 *
 * @example
 * isRequestLineTooLong('GET', '/mtracking.gif?' + 'x'.repeat(9000), '1.1') // true
 */
export function isRequestLineTooLong(method: string, target: string, httpVersion: string): boolean {
  return Buffer.byteLength(`${method} ${target} HTTP/${httpVersion}`) > REQUEST_LINE_LIMIT_BYTES;
}
