import { AUDIT_COLUMNS, autoIdx, autoUniq, fk, idx, table } from './define.ts';

/** `roles`. */
export const ROLES = table('roles', [
  'id INT UNSIGNED AUTO_INCREMENT',
  ...AUDIT_COLUMNS,
  'name VARCHAR(191) NOT NULL',
  'description LONGTEXT',
  'is_admin TINYINT(1) NOT NULL',
  'readable_permissions ARRAY NOT NULL',
]);

/** `permissions`. */
export const PERMISSIONS = table(
  'permissions',
  ['id INT UNSIGNED AUTO_INCREMENT', 'role_id INT UNSIGNED NOT NULL', 'bundle VARCHAR(50) NOT NULL', 'name VARCHAR(50) NOT NULL', 'bitwise INT NOT NULL'],
  {
    indexes: [autoIdx('role_id'), { name: 'unique_perm', columns: ['bundle', 'name', 'role_id'], unique: true }],
    foreignKeys: [fk('role_id', 'roles', 'CASCADE')],
  },
);

/** `users` — API users (Basic auth checks username + bcrypt password). */
export const USERS = table(
  'users',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'role_id INT UNSIGNED NOT NULL',
    ...AUDIT_COLUMNS,
    'username VARCHAR(191) NOT NULL',
    'password VARCHAR(64) NOT NULL',
    'first_name VARCHAR(191) NOT NULL',
    'last_name VARCHAR(191) NOT NULL',
    'email VARCHAR(191) NOT NULL',
    'position VARCHAR(191)',
    'timezone VARCHAR(191)',
    'locale VARCHAR(191)',
    'last_login DATETIME',
    'last_active DATETIME',
    'preferences ARRAY',
    'signature LONGTEXT',
  ],
  {
    indexes: [autoUniq('username'), autoUniq('email'), autoIdx('role_id')],
    foreignKeys: [fk('role_id', 'roles')],
  },
);

/** `oauth2_clients`. */
export const OAUTH2_CLIENTS = table(
  'oauth2_clients',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'role_id INT UNSIGNED',
    'name VARCHAR(191) NOT NULL',
    'random_id VARCHAR(191) NOT NULL',
    'secret VARCHAR(191) NOT NULL',
    'redirect_uris ARRAY NOT NULL',
    'allowed_grant_types ARRAY NOT NULL',
  ],
  { indexes: [autoIdx('role_id'), idx('client_id_search', 'random_id')], foreignKeys: [fk('role_id', 'roles')] },
);

/** The shape shared by access tokens, refresh tokens and auth codes. */
function tokenTable(name: string, userNullable: boolean, extra: string[], searchIndex?: string) {
  return table(
    name,
    [
      'id INT AUTO_INCREMENT',
      'client_id INT UNSIGNED NOT NULL',
      userNullable ? 'user_id INT UNSIGNED' : 'user_id INT UNSIGNED NOT NULL',
      'token VARCHAR(191) NOT NULL',
      'expires_at BIGINT',
      'scope VARCHAR(191)',
      ...extra,
    ],
    {
      indexes: [autoUniq('token'), autoIdx('client_id'), autoIdx('user_id'), ...(searchIndex ? [idx(searchIndex, 'token')] : [])],
      foreignKeys: [fk('client_id', 'oauth2_clients', 'CASCADE'), fk('user_id', 'users', 'CASCADE')],
    },
  );
}

/** `oauth2_accesstokens` (`expires_at` in Unix seconds; `user_id` NULL for client_credentials). */
export const OAUTH2_ACCESSTOKENS = tokenTable('oauth2_accesstokens', true, [], 'oauth2_access_token_search');
/** `oauth2_refreshtokens`. */
export const OAUTH2_REFRESHTOKENS = tokenTable('oauth2_refreshtokens', false, [], 'oauth2_refresh_token_search');
/** `oauth2_authcodes`. */
export const OAUTH2_AUTHCODES = tokenTable('oauth2_authcodes', false, ['redirect_uri LONGTEXT NOT NULL']);

/** `oauth2_user_client_xref`. */
export const OAUTH2_USER_CLIENT_XREF = table('oauth2_user_client_xref', ['client_id INT UNSIGNED NOT NULL', 'user_id INT UNSIGNED NOT NULL'], {
  primaryKey: ['client_id', 'user_id'],
  indexes: [autoIdx('user_id')],
  foreignKeys: [fk('client_id', 'oauth2_clients', 'CASCADE'), fk('user_id', 'users', 'CASCADE')],
});
