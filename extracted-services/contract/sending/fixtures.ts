/**
 * What the sending cases share: the stand-in's sending seed (users, roles, tokens, emails,
 * a segment with a DNC member, a contact without an address), request helpers, and the
 * tables a case starts from empty.
 */
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { TEST_NOW } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { ADMIN, LIMITED, SITE_URL, TOKENS, seedSending } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import type { ContractRequest, Fixture } from '../contract-case.ts';

export { ADMIN, LIMITED, SITE_URL, TOKENS };

/** `Authorization` of a Basic login. */
export function basic(user: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}

/** The seed as a fixture (ids by name). */
export async function seeded(db: Db): Promise<Fixture> {
  const seed = await seedSending(db, TEST_NOW);
  return {
    listEmail: seed.listEmail, limitEmail: seed.limitEmail, templateEmail: seed.templateEmail, unpublishedEmail: seed.unpublishedEmail,
    segment: seed.segment, ann: seed.members.ann, bob: seed.members.bob, dnc: seed.members.dnc, noAddress: seed.noAddress,
  };
}

/** A POST with JSON (or no) body and the admin's Basic credentials unless others are given. */
export function post(path: string, body?: unknown, authorization: string | null = basic(ADMIN)): ContractRequest {
  const headers: Record<string, string> = {};
  if (authorization !== null) headers.authorization = authorization;
  if (body === undefined) return { method: 'POST', path, headers: { ...headers, 'content-length': '0' } };
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { method: 'POST', path, headers: { ...headers, 'content-type': 'application/json' }, body: text };
}

/** Tables the sending cases write or seed, children first (the real schema has foreign keys). */
const TABLES = [
  'email_assets_xref', 'assets', 'email_stat_replies', 'email_stats_devices', 'email_stats', 'email_copies', 'channel_url_trackables', 'page_hits', 'page_redirects',
  'email_list_excluded', 'email_list_xref', 'lead_lists_leads', 'lead_lists', 'lead_donotcontact', 'leads', 'emails',
  'oauth2_accesstokens', 'oauth2_clients', 'permissions', 'users', 'roles',
];

/** Empties the sending tables. */
export async function clearSendingContract(db: Db): Promise<void> {
  for (const table of TABLES) await db.execute(`DELETE FROM ${db.table(table)}`);
}
