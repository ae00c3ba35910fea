/**
 * Mautic's CORSMiddleware (docs/mautic/public-http.md §2.3), which runs before any
 * route: every OPTIONS request is answered 204 here, and XHR requests get the
 * CORS headers (with an empty Allow-Origin when the Origin is not valid).
 */
import type { RequestHandler, Response } from 'express';
import type { StandinConfig } from './deps.ts';

/** Shell wildcard (PHP fnmatch with FNM_CASEFOLD) as a regular expression. */
function wildcardToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/** Whether `origin` is allowed, and whether a wildcard (not an exact entry) allowed it. */
export function checkOrigin(origin: string, config: Pick<StandinConfig, 'corsRestrictDomains' | 'corsValidDomains'>): { valid: boolean; viaWildcard: boolean } {
  if (!config.corsRestrictDomains) return { valid: true, viaWildcard: false };
  if (config.corsValidDomains.includes(origin)) return { valid: true, viaWildcard: false };
  const viaWildcard = config.corsValidDomains.some((entry) => wildcardToRegExp(entry).test(origin));
  return { valid: viaWildcard, viaWildcard };
}

function setCorsHeaders(res: Response, allowOrigin: string, vary: boolean): void {
  res.set({
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Allow-Headers': 'Origin, X-Requested-With, Content-Type, Authorization',
    'Access-Control-Allow-Methods': 'PUT, GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Credentials': 'true',
    // Mautic's comment says "10 min"; the value is 10 hours.
    'Access-Control-Max-Age': '36000',
  });
  if (vary) res.vary('Origin');
}

/**
 * The CORS middleware. Mount it first.
 *
 * @example
 * app.use(corsMiddleware(config))
 */
export function corsMiddleware(config: Pick<StandinConfig, 'corsRestrictDomains' | 'corsValidDomains'>): RequestHandler {
  return function cors(req, res, next) {
    const origin = req.get('origin') ?? '';
    const { valid, viaWildcard } = checkOrigin(origin, config);
    if (req.method === 'OPTIONS') {
      if (origin !== '' && req.get('access-control-request-headers') !== undefined && valid) {
        setCorsHeaders(res, origin, viaWildcard);
      }
      res.status(204).end();
      return;
    }
    if (req.get('x-requested-with') === 'XMLHttpRequest') setCorsHeaders(res, valid ? origin : '', viaWildcard);
    next();
  };
}
