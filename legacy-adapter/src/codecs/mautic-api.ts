import { parsePhpQuery, queryToObject } from './php-query.ts';

/**
 * Facts of Mautic's REST API that every implementation of the sending routes shares
 * (docs/mautic/public-http.md §5.1–5.3): the controller error shape and messages, the
 * permission bits and Mautic's own/other rule, the send parameters (`tokens`, `limit`,
 * `batch`, `lists`), how a body becomes parameters, and which contact addresses are sendable.
 */

/** Controller messages (§5.1 table, §5.4). */
export const API_MESSAGES = {
  notFound: 'Item was not found.',
  contactNotFound: 'Contact not found.',
  forbidden: 'You do not have access to the requested area/action.',
  badRequest: 'This is a bad request.',
  statNotFound: (hash: string) => `Email Stat with tracking hash ${hash} was not found`,
} as const;

/** Controller-level error body (`FetchCommonApiController::returnError`): status = `code`. */
export function controllerErrorBody(status: number, message: string): Record<string, unknown> {
  return { errors: [{ code: status, message, details: [], type: null }] };
}

/** Framework-level error body (§2.7, §5.1 gates): key order `message, code, type`, no `details`. */
export function frameworkErrorBody(status: number, message: string, type: string | null): Record<string, unknown> {
  return { errors: [{ message, code: status, type }] };
}

/** Bits of Mautic's standard permission levels (`permissions.bitwise`). */
export const PERMISSION_BITS = { viewown: 2, viewother: 4, editown: 8, editother: 16, full: 1024 } as const;

/** The view levels a send needs on `email:emails` (§5.2 step 2, §5.3 step 2). */
export const VIEW_LEVELS = { own: PERMISSION_BITS.viewown, other: PERMISSION_BITS.viewother } as const;
/** The edit levels a contact send needs on `lead:leads` (§5.3 step 4). */
export const EDIT_LEVELS = { own: PERMISSION_BITS.editown, other: PERMISSION_BITS.editother } as const;

/** What a permission check knows of the caller. */
export interface PermissionHolder {
  userId: number | null;
  isAdmin: boolean;
  /** `permissions` rows of the role: `bundle:name` → bitwise. */
  permissions: ReadonlyMap<string, number>;
}

/**
 * Whether the caller holds one of the levels on `bundle:name`; `own` levels count only
 * when `ownerId` is the caller (Mautic's own/other split). Admins hold everything.
 */
export function hasPermission(caller: PermissionHolder, key: string, levels: { own: number; other: number }, ownerId: number | null): boolean {
  if (caller.isAdmin) return true;
  const bits = caller.permissions.get(key) ?? 0;
  if (bits & (PERMISSION_BITS.full | levels.other)) return true;
  return (bits & levels.own) !== 0 && ownerId !== null && ownerId === caller.userId;
}

/** A route id (`\d+`, within INT UNSIGNED) or undefined; anything else finds no entity, as Doctrine's find would. */
export function parseEntityId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 && id <= 4294967295 ? id : undefined;
}

/**
 * `tokens` of a contact send (§5.3): an object; keys without braces are wrapped as
 * `{key}`; values keep their HTML (5.x `InputHelper::html`).
 *
 * @returns the tokens, or undefined when `raw` is not an object (a 400)
 */
export function readCustomTokens(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const tokens: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = key.startsWith('{') && key.endsWith('}') ? key : `{${key}}`;
    tokens[name] = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return tokens;
}

/** `limit` / `batch` (§5.2): a non-negative integer, null when absent or 0; undefined when malformed (a 400). */
export function readCount(raw: unknown): number | null | undefined {
  if (raw === undefined || raw === null || raw === '' || raw === 0 || raw === '0') return null;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * `lists` (§5.2): segment ids to send to instead of all the email's segments. Mautic
 * expects entities there (a 500 is likely); we accept ids.
 *
 * @returns null when absent, the ids, or undefined when anything is not an id (a 400)
 */
export function readSegmentIds(raw: unknown): number[] | null | undefined {
  if (raw === undefined || raw === null || raw === '') return null;
  const values = Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw as object) : [raw];
  const ids = values.map(readCount);
  return ids.every((id): id is number => typeof id === 'number') ? ids : undefined;
}

/**
 * `assetAttachments` of a contact send (§5.3): a list of asset ids (a JSON array, or
 * `assetAttachments[]=…` form fields). Absent or empty: none.
 *
 * @returns the ids, or undefined when `raw` is not a list of positive ids (a 400)
 */
export function readAssetIds(raw: unknown): number[] | undefined {
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw !== 'object') return undefined;
  const ids = (Array.isArray(raw) ? raw : Object.values(raw as object)).map((v) => (typeof v === 'number' && Number.isInteger(v) ? parseEntityId(String(v)) : typeof v === 'string' ? parseEntityId(v) : undefined));
  return ids.every((id): id is number => id !== undefined) ? ids : undefined;
}

/**
 * The parameters of an API body as FOSRest's body listener reads it (§5.1): JSON and
 * form-encoded bodies are equivalent; an empty body or another type gives `{}`.
 *
 * @returns the parameters, or undefined for invalid JSON or a JSON scalar (a 400)
 */
export function parseApiBody(text: string, contentType: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  const type = contentType.toLowerCase();
  if (type.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (parsed === null || typeof parsed !== 'object') return undefined;
    return Array.isArray(parsed) ? { ...parsed } : (parsed as Record<string, unknown>);
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return queryToObject(parsePhpQuery(text));
  return {};
}

/** Whether an address can be sent to (the check Mautic's mailer applies before sending; RFC 5322 dot-atom). */
export function isValidEmail(value: string): boolean {
  return /^[A-Za-z0-9!#$%&'*+\-=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-=?^_`{|}~]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(
    value,
  );
}
