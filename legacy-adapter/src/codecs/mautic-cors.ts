/**
 * Mautic's CORSMiddleware rules (docs/mautic/public-http.md §2.3), as pure decisions:
 * which Origin is valid, and which headers an answer carries. Every OPTIONS request is
 * answered 204 by the middleware; XHR requests get the headers (an empty
 * Allow-Origin when the Origin is not valid).
 */

/** `cors_restrict_domains` and `cors_valid_domains`. */
export interface CorsSettings {
  corsRestrictDomains: boolean;
  corsValidDomains: readonly string[];
}

/** The request facts the rules read (header values, '' or undefined when absent). */
export interface CorsRequest {
  method: string;
  origin: string;
  /** `Access-Control-Request-Headers`, undefined when absent. */
  requestHeaders: string | undefined;
  /** `X-Requested-With`. */
  requestedWith: string | undefined;
}

/** What the middleware does: headers to add, whether to add `Vary: Origin`, and whether it answers 204 itself. */
export interface CorsDecision {
  headers: Record<string, string> | null;
  varyOrigin: boolean;
  answerNoContent: boolean;
}

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
export function checkOrigin(origin: string, settings: CorsSettings): { valid: boolean; viaWildcard: boolean } {
  if (!settings.corsRestrictDomains) return { valid: true, viaWildcard: false };
  if (settings.corsValidDomains.includes(origin)) return { valid: true, viaWildcard: false };
  const viaWildcard = settings.corsValidDomains.some((entry) => wildcardToRegExp(entry).test(origin));
  return { valid: viaWildcard, viaWildcard };
}

function corsHeaders(allowOrigin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Allow-Headers': 'Origin, X-Requested-With, Content-Type, Authorization',
    'Access-Control-Allow-Methods': 'PUT, GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Credentials': 'true',
    // Mautic's comment says "10 min"; the value is 10 hours.
    'Access-Control-Max-Age': '36000',
  };
}

/**
 * Decides what the CORS middleware does with a request.
 *
 * @example
 * decideCors({ method: 'POST', origin: 'https://a.example', requestHeaders: undefined, requestedWith: 'XMLHttpRequest' }, settings)
 */
export function decideCors(req: CorsRequest, settings: CorsSettings): CorsDecision {
  const { valid, viaWildcard } = checkOrigin(req.origin, settings);
  if (req.method === 'OPTIONS') {
    const preflight = req.origin !== '' && req.requestHeaders !== undefined && valid;
    return { headers: preflight ? corsHeaders(req.origin) : null, varyOrigin: preflight && viaWildcard, answerNoContent: true };
  }
  if (req.requestedWith !== 'XMLHttpRequest') return { headers: null, varyOrigin: false, answerNoContent: false };
  return { headers: corsHeaders(valid ? req.origin : ''), varyOrigin: viaWildcard, answerNoContent: false };
}
