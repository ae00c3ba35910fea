/**
 * What phase 2 of a page hit needs (docs/mautic/public-http.md §2.8), as plain data: it is
 * built in the request (page-hit.ts `startHit`) and applied there or by the worker.
 */
import type { HitQuery } from '../../../../legacy-adapter/src/codecs/hit-query.ts';

/** What phase 2 needs. */
export interface HitCompletion {
  hitId: number;
  leadId: number;
  trackingId: string;
  isNewContact: boolean;
  isNewDevice: boolean;
  /** `page_redirects.id` of a click. */
  redirectId: number | null;
  query: HitQuery;
  userAgent: string;
  acceptLanguage: string;
  refererHeader: string;
  /** The `mautic_referer_id` cookie the request arrived with, when it names a hit. */
  previousHitId: number | null;
  /** `date_hit` as written in phase 1 (UTC `YYYY-MM-DD HH:MM:SS`). */
  dateHit: string;
  /** The visitor's stored IP, for an open recorded by a click (§2.8). */
  storedIp: string;
}
