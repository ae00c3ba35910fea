/**
 * Adds Set-Cookie headers the way Symfony's ResponseHeaderBag keeps them: one
 * per cookie name (and path/domain, which the stand-in never varies), the last
 * value wins and keeps the position of the first.
 */
import type { Response } from 'express';

const nameOf = (setCookie: string): string => setCookie.slice(0, setCookie.indexOf('='));

/** Appends `cookies` to the response, replacing earlier ones of the same name. */
export function setCookies(res: Response, cookies: readonly string[]): void {
  if (cookies.length === 0) return;
  const current = res.getHeader('Set-Cookie');
  const all = [...(Array.isArray(current) ? current : current === undefined ? [] : [String(current)]), ...cookies];
  const byName = new Map<string, string>();
  for (const cookie of all) byName.set(nameOf(cookie), cookie);
  res.setHeader('Set-Cookie', [...byName.values()]);
}
