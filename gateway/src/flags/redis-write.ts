/**
 * The write side of the Redis flag store: one change through the change
 * script (redis-scripts.ts), its answer turned into the audit entry or a
 * coded refusal.
 */
import type { Redis } from 'ioredis';
import { GatewayError } from '../errors.ts';
import { nothingToRollBack, versionConflict } from './change-errors.ts';
import { parseAuditEntry } from './redis-audit.ts';
import { encodeValue, fieldOf, scopeOf, type RedisKeys } from './redis-keys.ts';
import { CHANGE_SCRIPT, parseChangeReply } from './redis-scripts.ts';
import type { ChangeAction, ChangeMeta, FlagChange, FlagValue } from './store.ts';

/** One change to write. */
export interface ChangeRequest {
  readonly routeId: string;
  readonly tenant: string | null;
  readonly action: ChangeAction;
  /** The new value for `set`; ignored by `remove` and `rollback`. */
  readonly to: FlagValue | null;
  readonly meta: ChangeMeta;
  /** ISO-8601 time written to the audit. */
  readonly at: string;
}

/**
 * Writes `request` atomically with its audit entry and change message.
 *
 * @returns the audit entry, or null for a remove of a flag that did not exist.
 * @throws 409 GW_ERR_ADMIN_VERSION_CONFLICT / _NOTHING_TO_ROLL_BACK, 503 GW_ERR_FLAGS_STORE_UNAVAILABLE.
 */
export async function writeChange(cmd: Redis, keys: RedisKeys, auditLimit: number, request: ChangeRequest): Promise<FlagChange | null> {
  const { routeId, tenant, action, meta } = request;
  const origin = meta.origin ?? 'manual';
  let reply: unknown;
  try {
    reply = await cmd.eval(CHANGE_SCRIPT, 5, keys.version, keys.modes, keys.revisions, keys.previous, keys.audit,
      fieldOf(routeId, tenant), action, encodeValue(request.to), meta.expectRevision === undefined ? '' : String(meta.expectRevision),
      keys.channel, String(auditLimit), request.at, meta.who, routeId, scopeOf(tenant), meta.why ?? '', origin);
  } catch (err) {
    const message = String((err as Error).message);
    throw storeUnavailable(/timed out/i.test(message) ? 'timed out: the change may have been written; read the audit' : message);
  }
  const result = parseChangeReply(reply);
  if (result.status !== 'ok') {
    if (result.status === 'absent') return null;
    throw result.status === 'conflict' ? versionConflict(routeId, tenant, result.revision, meta.expectRevision ?? 0) : nothingToRollBack(routeId, tenant);
  }
  const fields = { version: result.version, at: request.at, who: meta.who, route: routeId, tenant: scopeOf(tenant), from: result.from, to: result.to, why: meta.why ?? '', origin, action };
  const change = parseAuditEntry(Object.entries(fields).flatMap(([k, v]) => [k, String(v)]));
  if (change instanceof Error) throw change;
  return change;
}

/** 503 GW_ERR_FLAGS_STORE_UNAVAILABLE. */
export function storeUnavailable(detail: string): GatewayError {
  return new GatewayError('GW_ERR_FLAGS_STORE_UNAVAILABLE', { params: { detail } });
}
