/**
 * What happens before Mautic's router sees a request: the `.htaccess` rewrite
 * of `/index.php/x` (docs/mautic/public-http.md §1.2), Symfony's default
 * Cache-Control, and the route that strips a trailing slash from GET paths
 * (§1.4 `mautic_remove_trailing_slash`). Mount before every router.
 */
import type { RequestHandler } from 'express';
import { isRequestLineTooLong } from '../codecs/request-line.ts';
import { StandinError, notFound } from './errors.ts';
import { SYMFONY_DEFAULT_CACHE_CONTROL, sendRedirect } from './responses.ts';

/** Paths that are their own routes although they end in `/` (§1.4). */
const SLASH_ROUTES = new Set(['/', '/s/', '/installer/']);

/**
 * `/index.php` and `/index.php/x` → 301 to `/x` (Apache makes the Location
 * absolute from the Host header and keeps the query string).
 */
export function indexPhpRedirect(): RequestHandler {
  return function stripIndexPhp(req, res, next) {
    const match = /^\/index\.php(?:\/(.*))?$/.exec(req.path);
    if (!match) {
      next();
      return;
    }
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const host = req.get('host') ?? '127.0.0.1';
    res.setHeader('Location', `${req.protocol}://${host}/${match[1] ?? ''}${query}`);
    res.status(301).end();
  };
}

/** Apache's LimitRequestLine (§1.2): a request line over 8190 bytes is a 414, before anything else. */
export function requestLineLimit(): RequestHandler {
  return function limitRequestLine(req, _res, next) {
    next(isRequestLineTooLong(req.method, req.originalUrl, req.httpVersion) ? new StandinError('STANDIN_ERR_URI_TOO_LONG') : undefined);
  };
}

/** Sets Symfony's `Cache-Control: no-cache, private`; handlers that care override it. */
export function symfonyDefaults(): RequestHandler {
  return function setSymfonyDefaults(_req, res, next) {
    res.setHeader('Cache-Control', SYMFONY_DEFAULT_CACHE_CONTROL);
    next();
  };
}

/**
 * GET/HEAD `/x/` → 301 `/x` (query kept, Location relative as Symfony writes
 * it). Other methods on such a path match no route but the landing-page
 * catch-all, which finds no page: 404.
 */
export function trailingSlashRedirect(): RequestHandler {
  return function stripTrailingSlash(req, res, next) {
    const path = req.path;
    if (!path.endsWith('/') || SLASH_ROUTES.has(path)) {
      next();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next(notFound(req.originalUrl));
      return;
    }
    const rawPath = req.originalUrl.split('?')[0] as string;
    const trimmed = rawPath.replace(/[ /]+$/, '') || '/';
    sendRedirect(res, trimmed + req.originalUrl.slice(rawPath.length), 301);
  };
}
