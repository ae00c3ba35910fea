/**
 * Sending cases of authentication, gates and bad input (docs/mautic/public-http.md §5.1–5.3):
 * each answered in Mautic's shape, nothing sent, nothing half-recorded.
 */
import bcrypt from 'bcryptjs';
import { insertUser } from '../../../legacy-adapter/src/data/users.ts';
import type { SendingCase } from './sending-contract.ts';
import { ADMIN, LIMITED, SITE_URL, TOKENS, basic, post, seeded } from './fixtures.ts';

const settings = { siteUrl: SITE_URL };
const framework = (status: number, message: string, type: string | null) => ({ json: { errors: [{ message, code: status, type }] } });
const controller = (status: number, message: string) => ({ json: { errors: [{ code: status, message, details: [], type: null }] } });
/** Mautic's JsonResponse headers: the type, and Symfony's default Cache-Control (docs/mautic/public-http.md §3.1 notes it). */
const JSON_TYPE = { 'content-type': 'application/json', 'cache-control': 'no-cache, private' };
/** Nothing written: no stat, no copy, no trackable, no redirect. */
const NO_ROWS = { email_stats: [], email_copies: [], page_redirects: [], channel_url_trackables: [] };

const refused = (name: string, cite: string, auth: string | null, status: number, body: { json: unknown }, extra: Partial<SendingCase> = {}): SendingCase => ({
  name, cite, settings, given: seeded,
  request: (fx) => post(`/api/emails/${fx.templateEmail}/contact/${fx.ann}/send`, undefined, auth),
  expect: () => ({ status, headers: JSON_TYPE, body, rows: NO_ROWS }),
  ...extra,
});

export const API_CASES: SendingCase[] = [
  refused('no credentials → 401', '§5.1', null, 401, framework(401, 'API authorization denied.', 'access_denied')),
  refused('a wrong password → 401', '§5.1', basic({ ...ADMIN, password: 'nope' }), 401, framework(401, 'Authorization denied, invalid credentials.', 'access_denied')),
  refused('an unknown user → 401', '§5.1', basic({ username: 'ghost', password: 'x' }), 401, framework(401, 'Authorization denied, invalid credentials.', 'access_denied')),
  refused('an expired bearer token → 401', '§5.1', `Bearer ${TOKENS.expired}`, 401, framework(401, 'The access token provided has expired.', 'invalid_grant')),
  refused('an unknown bearer token → 401', '§5.1', 'Bearer nope', 401, framework(401, 'The access token provided is invalid.', 'invalid_grant')),
  refused('the API disabled → 403 api_disabled', '§5.1', basic(ADMIN), 403,
    framework(403, "API disabled. You need to enable the API in the API settings of Mautic's Configuration.", 'api_disabled'),
    { settings: { siteUrl: SITE_URL, apiEnabled: false } }),
  refused('Basic credentials while Basic auth is off → 403', '§5.1', basic(ADMIN), 403,
    framework(403, "Basic Auth disabled. You need to enable HTTP basic auth in the API settings of Mautic's Configuration.", 'access_denied'),
    { settings: { siteUrl: SITE_URL, apiEnableBasicAuth: false } }),
  refused('a role that may view emails but not edit the contact → 403', '§5.3 step 4', basic(LIMITED), 403,
    controller(403, 'You do not have access to the requested area/action.')),
  {
    name: 'an unknown email → 404', cite: '§5.3 step 1', settings, given: seeded,
    request: (fx) => post(`/api/emails/99999/contact/${fx.ann}/send`),
    expect: () => ({ status: 404, headers: JSON_TYPE, body: controller(404, 'Item was not found.'), rows: NO_ROWS }),
  },
  {
    name: 'an unknown contact → 404', cite: '§5.3 step 3', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.templateEmail}/contact/99999/send`),
    expect: () => ({ status: 404, headers: JSON_TYPE, body: controller(404, 'Contact not found.'), rows: NO_ROWS }),
  },
  {
    name: 'tokens that are not an object → 400, nothing recorded', cite: '§5.3', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.templateEmail}/contact/${fx.ann}/send`, { tokens: 'x' }),
    expect: () => ({ status: 400, headers: JSON_TYPE, body: controller(400, 'This is a bad request.'), rows: NO_ROWS }),
  },
  {
    name: 'malformed JSON → 400 before authentication', cite: '§5.1', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.listEmail}/send`, '{"limit":', null),
    expect: () => ({ status: 400, headers: JSON_TYPE, body: framework(400, 'This is a bad request.', null), rows: NO_ROWS }),
  },
  {
    name: 'an unpublished segment email → 404', cite: '§5.2 step 1', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.unpublishedEmail}/send`),
    expect: () => ({ status: 404, headers: JSON_TYPE, body: controller(404, 'Item was not found.'), rows: NO_ROWS }),
  },
  {
    name: 'a negative limit → 400', cite: '§5.2', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.listEmail}/send`, { limit: -1 }),
    expect: () => ({ status: 400, headers: JSON_TYPE, body: controller(400, 'This is a bad request.'), rows: NO_ROWS }),
  },
  {
    name: 'a user whose hash PHP wrote ($2y$) logs in with Basic', cite: '§5.1', settings,
    given: async (db) => {
      const fx = await seeded(db);
      const hash = bcrypt.hashSync('php-written', 4).replace(/^\$2[ab]\$/, '$2y$');
      const [admin] = await db.query<{ role_id: number }>(`SELECT role_id FROM ${db.table('users')} WHERE username = ?`, [ADMIN.username]);
      await insertUser(db, { role_id: admin!.role_id, username: 'php-user', password: hash, first_name: 'Php', last_name: 'User', email: 'php@example.com' });
      return fx;
    },
    request: (fx) => post(`/api/emails/${fx.templateEmail}/send`, undefined, basic({ username: 'php-user', password: 'php-written' })),
    expect: () => ({ status: 200, headers: JSON_TYPE, body: { json: { success: 1, sentCount: 0, failedRecipients: 0 } } }),
  },
];
