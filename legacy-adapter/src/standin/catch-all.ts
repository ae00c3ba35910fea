/**
 * Everything the stand-in does not implement, answered the way Mautic answers
 * an anonymous visitor (docs/mautic/public-http.md §1.3–1.5, §2.7, §3.13, §5.1):
 * `/` and the admin UI redirect towards the login page, other API and OAuth
 * routes refuse without credentials, and every other path is a landing-page
 * slug for which no page exists: 404, after recording the 404 hit the way
 * Tracking404Model does (unless `doNotTrack404Anonymous`).
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { StandinDeps } from './deps.ts';
import { StandinError, notFound } from './errors.ts';
import { sendHtml, sendRedirect } from './responses.ts';

/** Optional side effect of an unknown landing page: Tracking404Model's 404 hit. */
export type NotFoundHitRecorder = (req: Request, res: Response) => Promise<unknown>;

const LOGIN_PAGE = `<!DOCTYPE html>
<html>
<head><meta charset="UTF-8" /><title>Mautic</title></head>
<body><form method="post" action="/s/login_check"><p>This is the Strangler stand-in; it has no admin UI.</p></form></body>
</html>
`;

/** True when the request carries any API credential (Basic or Bearer). */
function hasCredentials(req: Request): boolean {
  const auth = req.get('authorization') ?? '';
  return /^(basic|bearer)\s+\S/i.test(auth) || typeof req.query.access_token === 'string';
}

/**
 * The catch-all router; mount it after every other router.
 *
 * @param recordNotFoundHit records the 404 page hit; omitted → nothing is recorded.
 */
export function catchAllRouter(deps: StandinDeps, recordNotFoundHit?: NotFoundHitRecorder): Router {
  const router = Router();
  const site = deps.config.siteUrl;

  router.all('/', (_req, res) => sendRedirect(res, `${site}/s/dashboard`));
  router.all(['/s', '/s/'], (_req, res) => sendRedirect(res, `${site}/s/dashboard`, 301));
  router.get('/s/login', (_req, res) => sendHtml(res, 200, LOGIN_PAGE));
  // The admin firewall's entry point sends anonymous visitors to the login form.
  router.all(/^\/s\/.*/, (_req, res) => sendRedirect(res, `${site}/s/login`));

  router.all([/^\/api(\/.*)?$/, /^\/oauth(\/.*)?$/], (req, _res, next) => {
    next(hasCredentials(req) ? notFound(req.originalUrl) : new StandinError('STANDIN_ERR_API_UNAUTHORIZED'));
  });

  router.all(/.*/, async (req, res, next) => {
    if (recordNotFoundHit) {
      try {
        await recordNotFoundHit(req, res);
      } catch (err) {
        next(err);
        return;
      }
    }
    next(notFound(req.originalUrl));
  });
  return router;
}
