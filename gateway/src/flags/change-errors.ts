/**
 * The refusals a flag store answers itself, the same for every store: a stale
 * revision (two operators raced) and a rollback with nothing to go back to.
 */
import { GatewayError } from '../errors.ts';
import { revisionOf, type ChangeMeta, type FlagSnapshot } from './store.ts';

/** Throws 409 GW_ERR_ADMIN_VERSION_CONFLICT when `meta.expectRevision` is not the revision in `snapshot`. */
export function checkRevision(snapshot: FlagSnapshot, routeId: string, tenant: string | null, meta: ChangeMeta): void {
  if (meta.expectRevision === undefined) return;
  const current = revisionOf(snapshot, routeId, tenant);
  if (current !== meta.expectRevision) throw versionConflict(routeId, tenant, current, meta.expectRevision);
}

/** 409 GW_ERR_ADMIN_VERSION_CONFLICT. */
export function versionConflict(routeId: string, tenant: string | null, current: number, expected: number): GatewayError {
  return new GatewayError('GW_ERR_ADMIN_VERSION_CONFLICT', { params: { routeId, scope: scopeName(tenant), current, expected } });
}

/** 409 GW_ERR_ADMIN_NOTHING_TO_ROLL_BACK. */
export function nothingToRollBack(routeId: string, tenant: string | null): GatewayError {
  return new GatewayError('GW_ERR_ADMIN_NOTHING_TO_ROLL_BACK', { params: { routeId, scope: scopeName(tenant) } });
}

/** `tenant acme` or `global`, for messages. */
export function scopeName(tenant: string | null): string {
  return tenant === null ? 'global' : `tenant ${tenant}`;
}
