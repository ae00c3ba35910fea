/**
 * Reads the Cookie header the way PHP fills `$_COOKIE`: pairs split on `;`,
 * names and values url-decoded (`+` is a space), the first occurrence of a
 * name wins.
 */
import { phpUrldecode } from './php-url.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Parses a Cookie header.
 *
 * @example
 * parseCookieHeader('mautic_device_id=abc; mtc_id=12') // Map { 'mautic_device_id' => 'abc', 'mtc_id' => '12' }
 */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = decoder.decode(phpUrldecode(part.slice(0, eq).trim()));
    const value = decoder.decode(phpUrldecode(part.slice(eq + 1).trim()));
    if (name !== '' && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
