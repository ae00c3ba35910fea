/**
 * Tracking404Model (docs/mautic/public-http.md §3.13): an unknown landing-page
 * slug still records a page hit with code 404 — creating an anonymous
 * contact, the main source of contact spam — unless `doNotTrack404Anonymous`
 * is on and the visitor is not already a tracked contact.
 */
import type { Request, Response } from 'express';
import type { StandinDeps } from '../deps.ts';
import { setCookies } from '../set-cookies.ts';
import { parseCookieHeader } from '../../codecs/request-cookies.ts';
import { trackContact } from '../contact/contact-tracker.ts';
import { buildHitQuery, decodeCtParam } from '../../codecs/hit-query.ts';
import { recordPageHit } from './page-hit.ts';
import { readParameters } from './request-input.ts';

/** Slugs the landing-page route refuses (§1.4): they 404 without a hit. */
const NOT_A_SLUG = /^\/(_profiler|_wdt|css|images|js|favicon\.ico|apps\/bundles\/|plugins\/)/;

/** Records the 404 hit of `req`; sets the tracking cookies on `res`. */
export async function recordNotFoundHit(deps: StandinDeps, req: Request, res: Response): Promise<void> {
  if (NOT_A_SLUG.test(req.path)) return;
  if (deps.config.doNotTrack404Anonymous && !parseCookieHeader(req.headers.cookie).get('mautic_device_id')) return;
  const params = await readParameters(req);
  const ct = decodeCtParam(params.merged);
  const requestUri = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.originalUrl}`;
  const query = buildHitQuery(params.merged, { requestUri, clickthrough: ct.error ? false : ct.clickthrough });
  const tracked = await trackContact(deps, req, { persist: true, query: params.merged, identifyByQuery: true, clickthrough: ct.clickthrough });
  setCookies(res, tracked.cookies);
  if (tracked.lead && tracked.device) setCookies(res, (await recordPageHit(deps, req, tracked, { code: 404, query })).cookies);
}
