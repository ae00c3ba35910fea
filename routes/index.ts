/**
 * The route catalogue: every entry of every area, as plain data. The gateway
 * validates and compiles it at start-up (gateway/src/routing/compile.ts); anything
 * that matches no entry belongs to the legacy default route.
 */
import type { RouteEntry } from '../gateway/src/model.ts';
import { TRACKING_ROUTES } from './tracking.ts';
import { FORMS_ROUTES } from './forms.ts';
import { SENDING_ROUTES } from './sending.ts';
import { LEGACY_ONLY_ROUTES } from './legacy-only.ts';

/** Every catalogue entry: tracking, forms, sending, then legacy-only. */
export const ROUTE_ENTRIES: readonly RouteEntry[] = [
  ...TRACKING_ROUTES,
  ...FORMS_ROUTES,
  ...SENDING_ROUTES,
  ...LEGACY_ONLY_ROUTES,
];
