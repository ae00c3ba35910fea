import { forEachDialect } from '../../../test-support/databases.ts';
import { findIpAddress, findLeadById, insertIpAddress, insertLead } from './contacts.ts';
import { findEmailById, insertEmail } from './emails.ts';
import { findAccessToken } from './users.ts';
import { encodeDoctrineJson, encodePhpArray, toUtcDateTime } from './row-codec.ts';

describe('row codec', () => {
  it('writes arrays the way Mautic ArrayType does (docs/mautic/schema.md §0.3)', () => {
    expect(encodePhpArray(null)).toBe('N;');
    expect(encodePhpArray('text')).toBe('a:0:{}');
    expect(encodePhpArray(7)).toBe('a:0:{}');
    expect(encodePhpArray([])).toBe('a:0:{}');
    expect(encodePhpArray({ é: 'ü' })).toBe('a:1:{s:2:"é";s:2:"ü";}');
  });

  it('writes JSON the way Doctrine JsonType does', () => {
    expect(encodeDoctrineJson([])).toBe('[]');
    expect(encodeDoctrineJson({ a: 'x/y', b: 'ñ' })).toBe('{"a":"x\\/y","b":"\\u00f1"}');
  });

  it('formats dates as UTC DATETIME and refuses invalid ones', () => {
    expect(toUtcDateTime(new Date('2024-01-02T03:04:05.678+02:00'))).toBe('2024-01-02 01:04:05');
    expect(() => toUtcDateTime(new Date('nope'))).toThrow(expect.objectContaining({ code: 'DB_INPUT_INVALID' }));
  });
});

forEachDialect('reading bad rows', (getDb) => {
  it('gives DB_ROW_INVALID with table, id and column for an unparsable serialized column', async () => {
    const db = getDb();
    const id = await insertLead(db);
    await db.execute(`UPDATE ${db.table('leads')} SET internal = ? WHERE id = ?`, ['a:2:{i:0;s:5:"broken', id]);
    await expect(findLeadById(db, id)).rejects.toMatchObject({ code: 'DB_ROW_INVALID', status: 500, details: { table: 'leads', id, column: 'internal' } });
  });

  it('refuses serialized PHP objects in a row', async () => {
    const db = getDb();
    await insertIpAddress(db, '192.0.2.50', null);
    await db.execute(`UPDATE ${db.table('ip_addresses')} SET ip_details = ? WHERE ip_address = ?`, ['O:8:"stdClass":0:{}', '192.0.2.50']);
    await expect(findIpAddress(db, '192.0.2.50')).rejects.toMatchObject({ code: 'DB_ROW_INVALID', details: { column: 'ip_details' } });
  });

  it('gives DB_ROW_INVALID for a boolean that is not 0/1 and a BIGINT beyond 2^53', async () => {
    const db = getDb();
    const emailId = await insertEmail(db, { name: 'x' });
    const setSeven = db.execute(`UPDATE ${db.table('emails')} SET use_owner_as_mailer = 7 WHERE id = ?`, [emailId]);
    if (db.dialect === 'sqlite') {
      // Our SQLite tables CHECK booleans, so such a row cannot even be written there.
      await expect(setSeven).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    } else {
      await setSeven;
      await expect(findEmailById(db, emailId)).rejects.toMatchObject({ code: 'DB_ROW_INVALID', details: { table: 'emails', column: 'use_owner_as_mailer' } });
    }
    await db.execute(`INSERT INTO ${db.table('oauth2_clients')} (id, name, random_id, secret, redirect_uris, allowed_grant_types) VALUES (1, 'c', 'r', 's', 'a:0:{}', 'a:0:{}')`);
    await db.execute(`INSERT INTO ${db.table('oauth2_accesstokens')} (client_id, token, expires_at) VALUES (1, 'big', 9223372036854775807)`);
    await expect(findAccessToken(db, 'big')).rejects.toMatchObject({ code: 'DB_ROW_INVALID' });
  });
});
