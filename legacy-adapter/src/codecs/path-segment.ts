/**
 * Route placeholders the way Symfony fills them: the raw path segment,
 * rawurldecoded byte-wise (never failing), read as UTF-8.
 */
import { phpRawurldecode } from './php-url.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The decoded last segment of a raw path.
 *
 * @example
 * lastPathSegment('/r/abc%20d') // 'abc d'
 */
export function lastPathSegment(rawPath: string): string {
  return decoder.decode(phpRawurldecode(rawPath.slice(rawPath.lastIndexOf('/') + 1)));
}
