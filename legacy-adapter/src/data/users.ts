import type { PhpValue } from '../codecs/php-serialize.ts';
import { OAUTH2_ACCESSTOKENS, OAUTH2_CLIENTS, PERMISSIONS, ROLES, USERS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { AuditColumns } from './audit-columns.ts';
import type { Writable } from './contact-rows.ts';
import { insertRow, selectOne } from './table-access.ts';

/** A `roles` row. */
export interface Role extends AuditColumns {
  id: number;
  name: string;
  description: string | null;
  is_admin: boolean;
  readable_permissions: PhpValue;
}

/** A `users` row. `password` is a bcrypt hash (`$2y$…`). */
export interface User extends AuditColumns {
  id: number;
  role_id: number;
  username: string;
  password: string;
  first_name: string;
  last_name: string;
  email: string;
  position: string | null;
  timezone: string | null;
  locale: string | null;
  last_login: string | null;
  last_active: string | null;
  preferences: PhpValue;
  signature: string | null;
}

/** An `oauth2_clients` row. The public client id is `"{id}_{random_id}"`. */
export interface OAuth2Client {
  id: number;
  role_id: number | null;
  name: string;
  random_id: string;
  secret: string;
  redirect_uris: PhpValue;
  allowed_grant_types: PhpValue;
}

/** An `oauth2_accesstokens` row; `expires_at` in Unix seconds, `user_id` NULL for client_credentials. */
export interface OAuth2AccessToken {
  id: number;
  client_id: number;
  user_id: number | null;
  token: string;
  expires_at: number | null;
  scope: string | null;
}

/** Inserts a role (published, not admin, `readable_permissions` `N;` unless given). @returns its id. */
export function insertRole(db: Db, values: Writable<Role> & { name: string }): Promise<number> {
  return insertRow(db, ROLES, { is_published: true, is_admin: false, readable_permissions: null, ...values });
}

/** Inserts a user (published unless given); `password` must already be a bcrypt hash. @returns its id. */
export function insertUser(
  db: Db,
  values: Writable<User> & Pick<User, 'role_id' | 'username' | 'password' | 'first_name' | 'last_name' | 'email'>,
): Promise<number> {
  return insertRow(db, USERS, { is_published: true, ...values });
}

/** The user with this username (HTTP Basic login), or undefined. */
export function findUserByUsername(db: Db, username: string): Promise<User | undefined> {
  return selectOne<User>(db, USERS, { username });
}

/** The user with this id, or undefined. */
export function findUserById(db: Db, id: number): Promise<User | undefined> {
  return selectOne<User>(db, USERS, { id });
}

/**
 * Inserts an OAuth2 client with Mautic's defaults: no redirect URIs (`a:0:{}`) and the
 * constructor's grant types `authorization_code`, `refresh_token` unless given. @returns its id.
 */
export function insertOAuth2Client(db: Db, values: Writable<OAuth2Client> & Pick<OAuth2Client, 'name' | 'random_id' | 'secret'>): Promise<number> {
  return insertRow(db, OAUTH2_CLIENTS, { redirect_uris: [], allowed_grant_types: ['authorization_code', 'refresh_token'], ...values });
}

/** The client a public id `"{id}_{random_id}"` names, or undefined (also for a malformed id). */
export async function findOAuth2ClientByPublicId(db: Db, publicId: string): Promise<OAuth2Client | undefined> {
  const m = /^(\d{1,10})_(.+)$/.exec(publicId);
  if (!m) return undefined;
  return selectOne<OAuth2Client>(db, OAUTH2_CLIENTS, { id: Number(m[1]), random_id: m[2] ?? '' });
}

/** Inserts an access token. @returns its id. */
export function insertAccessToken(db: Db, values: Writable<OAuth2AccessToken> & Pick<OAuth2AccessToken, 'client_id' | 'token'>): Promise<number> {
  return insertRow(db, OAUTH2_ACCESSTOKENS, values);
}

/** The access token row for this bearer token, or undefined (expiry is the caller's check). */
export function findAccessToken(db: Db, token: string): Promise<OAuth2AccessToken | undefined> {
  return selectOne<OAuth2AccessToken>(db, OAUTH2_ACCESSTOKENS, { token });
}

/** The role with this id, or undefined. (Added by the sending stand-in.) */
export function findRoleById(db: Db, id: number): Promise<Role | undefined> {
  return selectOne<Role>(db, ROLES, { id });
}

/** A role's `permissions` rows as `bundle:name` → bitwise (admin roles have none, §5.1). (Added by the sending stand-in.) */
export async function listRolePermissions(db: Db, roleId: number): Promise<Map<string, number>> {
  const rows = await db.query<{ bundle: string; name: string; bitwise: number }>(`SELECT bundle, name, bitwise FROM ${db.table('permissions')} WHERE role_id = ?`, [roleId]);
  return new Map(rows.map((r) => [`${r.bundle}:${r.name}`, Number(r.bitwise)]));
}

/**
 * Grants a role one permission (`permissions` row): `bitwise` is the sum of Mautic's bits for
 * `bundle:name` (e.g. `email`, `emails`, 4 = view other). @returns its id.
 */
export function insertPermission(db: Db, values: { role_id: number; bundle: string; name: string; bitwise: number }): Promise<number> {
  return insertRow(db, PERMISSIONS, values);
}

/** The OAuth2 client with this (numeric) id, or undefined. (Added by the sending stand-in.) */
export function findOAuth2ClientById(db: Db, id: number): Promise<OAuth2Client | undefined> {
  return selectOne<OAuth2Client>(db, OAUTH2_CLIENTS, { id });
}
