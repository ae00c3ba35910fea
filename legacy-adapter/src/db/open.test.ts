import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithMysql, testDatabaseUrl } from '../../../test-support/services.ts';
import { openDb } from './open.ts';
import { parseDbUrl, redact } from './url.ts';

describe('parseDbUrl', () => {
  it.each([
    ['mysql://u:p%40ss@db.example:3307/mautic', { kind: 'mysql', host: 'db.example', port: 3307, user: 'u', password: 'p@ss', database: 'mautic' }],
    ['mysql://root@127.0.0.1/strangler', { kind: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'strangler' }],
    ['mariadb://app:x@[::1]:3306/m_1', { kind: 'mysql', host: '::1', port: 3306, user: 'app', password: 'x', database: 'm_1' }],
    ['sqlite:var/strangler.sqlite', { kind: 'sqlite', path: 'var/strangler.sqlite' }],
    ['sqlite:///tmp/a.sqlite', { kind: 'sqlite', path: '/tmp/a.sqlite' }],
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:' }],
  ])('reads %s', (url, expected) => {
    expect(parseDbUrl(url)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['postgres://u@h/db', /Unsupported database URL scheme/],
    ['mysql://u:secret@host', /no database name/],
    ['mysql://u:secret@host:99999/db', /Malformed|out of range/],
    ['mysql://u@host/bad;name', /characters other than/],
    ['sqlite:', /without a path/],
  ])('refuses %j with DB_URL_INVALID', (url, message) => {
    let caught: unknown;
    try {
      parseDbUrl(url);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'DB_URL_INVALID', status: 500 });
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('secret');
  });

  it('redacts passwords', () => {
    expect(redact('mysql://u:secret@h:1/db')).toBe('mysql://u:***@h:1/db');
  });
});

describe('openDb', () => {
  it('refuses a bad table prefix', async () => {
    await expect(openDb('sqlite::memory:', { prefix: 'mt-;' })).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
  });

  it('opens an SQLite file in WAL mode with foreign keys on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strangler-open-'));
    const db = await openDb(`sqlite:${join(dir, 'nested', 'x.sqlite')}`, { prefix: 'mt_' });
    try {
      expect(await db.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await db.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      expect([db.dialect, db.prefix, db.table('leads')]).toEqual(['sqlite', 'mt_', 'mt_leads']);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers DB_CONNECT_FAILED for a file that is not a database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strangler-open-'));
    writeFileSync(join(dir, 'junk.sqlite'), 'this is not sqlite '.repeat(100));
    try {
      await expect(openDb(`sqlite:${join(dir, 'junk.sqlite')}`)).rejects.toMatchObject({ code: 'DB_CONNECT_FAILED', status: 503 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers DB_CONNECT_FAILED when no MySQL listens, without echoing the password', async () => {
    const err = await openDb('mysql://u:hunter2@127.0.0.1:1/db', { connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DB_CONNECT_FAILED' });
    expect((err as Error).message).not.toContain('hunter2');
  });
});

describeWithMysql('openDb on MariaDB', () => {
  it('answers DB_CONNECT_FAILED for a database that does not exist', async () => {
    const u = new URL(testDatabaseUrl!);
    u.pathname = '/strangler_no_such_db_x';
    await expect(openDb(u.toString())).rejects.toMatchObject({ code: 'DB_CONNECT_FAILED', message: expect.stringContaining('Unknown database') });
  });

  it('returns DATETIME as UTC strings and BIGINT as numbers', async () => {
    const u = new URL(testDatabaseUrl!);
    u.pathname = '/mysql';
    const db = await openDb(u.toString());
    try {
      const [row] = await db.query("SELECT CAST('2024-02-03 04:05:06' AS DATETIME) AS d, CAST(9007199254740991 AS UNSIGNED) AS big, CAST(1 AS UNSIGNED) AS one");
      expect(row).toEqual({ d: '2024-02-03 04:05:06', big: 9007199254740991, one: 1 });
      expect(db.dialect).toBe('mysql');
    } finally {
      await db.close();
    }
  });
});
