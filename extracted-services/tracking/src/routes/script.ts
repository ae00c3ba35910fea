/**
 * `GET /mtc.js` (docs/mautic/public-http.md §3.1, §9.2): the script is built once from
 * the configuration, served with an ETag and a Cache-Control that lets browsers and CDNs
 * keep it, and answered 304 when the client has it. Unlike Mautic, it does not resolve
 * the visitor (the next `/mtc/event` re-issues the cookies): README § Differences.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { buildTrackingScript } from '../../../../legacy-adapter/src/codecs/mtc-script.ts';
import type { MauticSettings } from '../../../service-kit/mautic-settings.ts';

/** Browsers and CDNs may keep the script an hour, then revalidate with the ETag. */
export const SCRIPT_CACHE_CONTROL = 'public, max-age=3600';

/** The script's body and its validator. */
export interface BuiltScript {
  body: Buffer;
  etag: string;
}

/** Builds the script for a `site_url`, stamped with the year of `now`. */
export function buildScript(settings: Pick<MauticSettings, 'siteUrl'>, now: Date): BuiltScript {
  const body = Buffer.from(buildTrackingScript(settings.siteUrl, now.getUTCFullYear()), 'utf8');
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** True when an If-None-Match header names `etag` (or is `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** The `/mtc.js` handler (any method, as Mautic's route; HEAD gets headers only). */
export function scriptHandler(script: BuiltScript): RequestHandler {
  return function serveScript(req, res) {
    res.setHeader('Cache-Control', SCRIPT_CACHE_CONTROL);
    res.setHeader('ETag', script.etag);
    if (matches(req.get('if-none-match'), script.etag)) {
      res.status(304).end();
      return;
    }
    res.status(200).setHeader('Content-Type', 'application/javascript');
    res.setHeader('Content-Length', String(script.body.length));
    res.end(req.method === 'HEAD' ? undefined : script.body);
  };
}
