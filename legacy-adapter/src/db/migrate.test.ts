import { createTestDb, type TestDb } from '../../../test-support/databases.ts';
import { describeWithMysql } from '../../../test-support/services.ts';
import { migrate } from './migrate.ts';
import { MAUTIC_TABLES } from './schema/index.ts';
import { DOC_COLUMNS } from './test-fixtures/mautic-doc-columns.ts';
import type { Db } from './types.ts';

/** Appendix A's tables plus those written from Mautic's own DDL (segment targets and exclusions, replies, assets and their email links, tags, companies, points and merge logs, campaigns, point actions). */
const EXTRA_TABLES: Record<string, readonly string[]> = {
  email_list_xref: ['email_id|INT UNSIGNED|NO', 'leadlist_id|INT UNSIGNED|NO'],
  email_list_excluded: ['email_id|INT UNSIGNED|NO', 'leadlist_id|INT UNSIGNED|NO'],
  email_stat_replies: ['id|CHAR(36)|NO|guid', 'stat_id|BIGINT UNSIGNED|NO', 'date_replied|DATETIME|NO', 'message_id|VARCHAR(191)|NO'],
  assets: [
    'id|INT UNSIGNED|NO|auto_increment', 'category_id|INT UNSIGNED|YES', 'is_published|TINYINT(1)|NO', 'date_added|DATETIME|YES', 'created_by|INT|YES',
    'created_by_user|VARCHAR(191)|YES', 'date_modified|DATETIME|YES', 'modified_by|INT|YES', 'modified_by_user|VARCHAR(191)|YES', 'checked_out|DATETIME|YES',
    'checked_out_by|INT|YES', 'checked_out_by_user|VARCHAR(191)|YES', 'title|VARCHAR(191)|NO', 'description|LONGTEXT|YES', 'alias|VARCHAR(191)|NO',
    'storage_location|VARCHAR(191)|YES', 'path|VARCHAR(191)|YES', 'remote_path|LONGTEXT|YES', 'original_file_name|LONGTEXT|YES', 'lang|VARCHAR(191)|NO',
    'publish_up|DATETIME|YES', 'publish_down|DATETIME|YES', 'download_count|INT|NO', 'unique_download_count|INT|NO', 'revision|INT|NO',
    'extension|VARCHAR(191)|YES', 'mime|VARCHAR(191)|YES', 'size|INT|YES', 'disallow|TINYINT(1)|YES',
  ],
  email_assets_xref: ['email_id|INT UNSIGNED|NO', 'asset_id|INT UNSIGNED|NO'],
  lead_tags: ['id|INT UNSIGNED|NO|auto_increment', 'tag|VARCHAR(191)|NO', 'description|LONGTEXT|YES'],
  lead_tags_xref: ['lead_id|BIGINT UNSIGNED|NO', 'tag_id|INT UNSIGNED|NO'],
  companies: [
    'id|INT|NO|auto_increment', 'owner_id|INT UNSIGNED|YES', 'is_published|TINYINT(1)|NO', 'date_added|DATETIME|YES', 'created_by|INT|YES',
    'created_by_user|VARCHAR(191)|YES', 'date_modified|DATETIME|YES', 'modified_by|INT|YES', 'modified_by_user|VARCHAR(191)|YES', 'checked_out|DATETIME|YES',
    'checked_out_by|INT|YES', 'checked_out_by_user|VARCHAR(191)|YES', 'social_cache|LONGTEXT|YES|array', 'score|INT|YES', 'companyemail|VARCHAR(191)|YES',
    'companyaddress1|VARCHAR(191)|YES', 'companyaddress2|VARCHAR(191)|YES', 'companyphone|VARCHAR(191)|YES', 'companycity|VARCHAR(191)|YES',
    'companystate|VARCHAR(191)|YES', 'companyzipcode|VARCHAR(191)|YES', 'companycountry|VARCHAR(191)|YES', 'companyname|VARCHAR(191)|YES',
    'companywebsite|VARCHAR(191)|YES', 'companyindustry|VARCHAR(191)|YES', 'companydescription|LONGTEXT|YES', 'companynumber_of_employees|DOUBLE PRECISION|YES',
    'companyfax|VARCHAR(191)|YES', 'companyannual_revenue|DOUBLE PRECISION|YES',
  ],
  companies_leads: ['company_id|INT|NO', 'lead_id|BIGINT UNSIGNED|NO', 'date_added|DATETIME|NO', 'is_primary|TINYINT(1)|YES'],
  lead_companies_change_log: [
    'id|INT UNSIGNED|NO|auto_increment', 'lead_id|BIGINT UNSIGNED|NO', 'type|TINYTEXT|NO', 'event_name|VARCHAR(191)|NO', 'action_name|VARCHAR(191)|NO',
    'company_id|INT|NO', 'date_added|DATETIME|NO',
  ],
  lead_points_change_log: [
    'id|BIGINT UNSIGNED|NO|auto_increment', 'lead_id|BIGINT UNSIGNED|NO', 'ip_id|INT UNSIGNED|YES', 'group_id|INT UNSIGNED|YES', 'type|TINYTEXT|NO',
    'event_name|VARCHAR(191)|NO', 'action_name|VARCHAR(191)|NO', 'delta|INT|NO', 'date_added|DATETIME|NO',
  ],
  contact_merge_records: ['id|INT|NO|auto_increment', 'contact_id|BIGINT UNSIGNED|NO', 'date_added|DATETIME|NO', 'merged_id|INT|NO', 'name|VARCHAR(191)|NO'],
  campaigns: [
    'id|INT UNSIGNED|NO|auto_increment', 'category_id|INT UNSIGNED|YES', 'is_published|TINYINT(1)|NO', 'date_added|DATETIME|YES', 'created_by|INT|YES',
    'created_by_user|VARCHAR(191)|YES', 'date_modified|DATETIME|YES', 'modified_by|INT|YES', 'modified_by_user|VARCHAR(191)|YES', 'checked_out|DATETIME|YES',
    'checked_out_by|INT|YES', 'checked_out_by_user|VARCHAR(191)|YES', 'name|VARCHAR(191)|NO', 'description|LONGTEXT|YES', 'publish_up|DATETIME|YES',
    'publish_down|DATETIME|YES', 'canvas_settings|LONGTEXT|YES|array', 'allow_restart|TINYINT(1)|NO', 'deleted|DATETIME|YES', 'version|INT UNSIGNED|NO|default1',
  ],
  campaign_form_xref: ['campaign_id|INT UNSIGNED|NO', 'form_id|INT UNSIGNED|NO'],
  campaign_leads: [
    'campaign_id|INT UNSIGNED|NO', 'lead_id|BIGINT UNSIGNED|NO', 'date_added|DATETIME|NO', 'manually_removed|TINYINT(1)|NO', 'manually_added|TINYINT(1)|NO',
    'date_last_exited|DATETIME|YES', 'rotation|INT|NO',
  ],
  points: [
    'id|INT UNSIGNED|NO|auto_increment', 'category_id|INT UNSIGNED|YES', 'group_id|INT UNSIGNED|YES', 'is_published|TINYINT(1)|NO', 'date_added|DATETIME|YES',
    'created_by|INT|YES', 'created_by_user|VARCHAR(191)|YES', 'date_modified|DATETIME|YES', 'modified_by|INT|YES', 'modified_by_user|VARCHAR(191)|YES',
    'checked_out|DATETIME|YES', 'checked_out_by|INT|YES', 'checked_out_by_user|VARCHAR(191)|YES', 'name|VARCHAR(191)|NO', 'description|LONGTEXT|YES',
    'type|VARCHAR(50)|NO', 'publish_up|DATETIME|YES', 'publish_down|DATETIME|YES', 'repeatable|TINYINT(1)|NO', 'delta|INT|NO', 'properties|LONGTEXT|NO|array',
  ],
  point_lead_action_log: ['point_id|INT UNSIGNED|NO', 'lead_id|BIGINT UNSIGNED|NO', 'ip_id|INT UNSIGNED|YES', 'date_fired|DATETIME|NO'],
};
const ALL_COLUMNS: Record<string, readonly string[]> = { ...DOC_COLUMNS, ...EXTRA_TABLES };
const TABLES = Object.keys(ALL_COLUMNS);

/** `name|TYPE|NULL|extra` → parts. */
function docColumn(spec: string): { name: string; type: string; nullable: boolean; extra: string } {
  const [name = '', type = '', nullable = '', extra = ''] = spec.split('|');
  return { name, type, nullable: nullable === 'YES', extra };
}

/** What our SQLite translation makes of a docs/mautic/schema.md type. */
function sqliteTypeOf(docType: string): string {
  if (/INT|TINYINT/.test(docType)) return 'INTEGER';
  if (docType === 'DOUBLE PRECISION') return 'REAL';
  return 'TEXT';
}

/** MariaDB's COLUMN_TYPE spelled the way docs/mautic/schema.md writes types (§0.3). */
function docTypeOfMariadb(columnType: string): string {
  const t = columnType.toLowerCase();
  if (t === 'tinyint(1)') return 'TINYINT(1)';
  if (t === 'double') return 'DOUBLE PRECISION';
  if (t.startsWith('varchar') || t.startsWith('char')) return t.toUpperCase();
  return t.replace(/\(\d+\)/, '').toUpperCase();
}

it('covers exactly the tables of docs/mautic/schema.md Appendix A, plus those written from Mautic 5\'s own DDL', () => {
  expect(MAUTIC_TABLES.map((t) => t.name).sort()).toEqual([...TABLES].sort());
});

describe('migrate on SQLite', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite', { migrate: false });
  });
  afterAll(() => t.drop());

  it('creates every covered table with the columns, order and nullability of docs/mautic/schema.md', async () => {
    expect((await migrate(t.db)).sort()).toEqual([...TABLES].sort());
    for (const table of TABLES) {
      const info = await t.db.query<{ name: string; type: string; notnull: number; pk: number; hidden: number }>(`PRAGMA table_xinfo("${table}")`);
      const expected = (ALL_COLUMNS[table] ?? []).map(docColumn);
      expect(info.map((c) => c.name)).toEqual(expected.map((c) => c.name));
      expected.forEach((doc, n) => {
        const got = info[n]!;
        expect({ table, column: doc.name, type: got.type }).toEqual({ table, column: doc.name, type: sqliteTypeOf(doc.type) });
        // An INTEGER PRIMARY KEY is the rowid: never NULL although PRAGMA reports notnull 0.
        const notNull = got.notnull === 1 || (got.pk === 1 && got.type === 'INTEGER');
        expect({ table, column: doc.name, notNull }).toEqual({ table, column: doc.name, notNull: !doc.nullable });
        expect({ table, column: doc.name, generated: got.hidden === 2 }).toEqual({ table, column: doc.name, generated: doc.extra === 'generated' });
      });
    }
  });

  it('is idempotent: a second run creates nothing and keeps the rows', async () => {
    await t.db.execute(`INSERT INTO leads (is_published, points, email) VALUES (1, 0, 'keep@example.com')`);
    expect(await migrate(t.db)).toEqual([]);
    expect(await t.db.query('SELECT email, generated_email_domain FROM leads')).toEqual([{ email: 'keep@example.com', generated_email_domain: 'example.com' }]);
  });

  it('recreates only a table that is missing', async () => {
    await t.db.execute('DROP TABLE email_stats_devices');
    expect(await migrate(t.db)).toEqual(['email_stats_devices']);
  });

  it('enforces what MariaDB would: NOT NULL, VARCHAR length, JSON validity, foreign keys', async () => {
    await expect(t.db.execute('INSERT INTO leads (is_published) VALUES (1)')).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    await expect(t.db.execute('INSERT INTO ip_addresses (ip_address) VALUES (?)', ['x'.repeat(46)])).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    await expect(t.db.execute("INSERT INTO lead_event_log (date_added, properties) VALUES ('2024-01-01 00:00:00', '{bad')")).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    await expect(t.db.execute("INSERT INTO lead_devices (lead_id, date_added) VALUES (999, '2024-01-01 00:00:00')")).rejects.toMatchObject({ code: 'DB_FOREIGN_KEY' });
    // CHAR(36) GUID: a longer id is refused before the (missing) stat is looked up.
    await expect(t.db.execute("INSERT INTO email_stat_replies (id, stat_id, date_replied, message_id) VALUES (?, 999, '2024-01-01 00:00:00', 'm')", ['x'.repeat(37)]))
      .rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
  });
});

describe('migrate with a table prefix (docs/mautic/schema.md §0.2) on SQLite', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite', { prefix: 'mt_' });
  });
  afterAll(() => t.drop());

  it('prefixes tables and named indexes, keeps installer index names bare, re-hashes auto names', async () => {
    const objects = await t.db.query<{ type: string; name: string }>("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
    const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
    expect(tables.sort()).toEqual(TABLES.map((n) => `mt_${n}`).sort());
    const indexes = objects.filter((o) => o.type === 'index').map((o) => o.name);
    expect(indexes).toEqual(expect.arrayContaining(['mt_lead_date_added', 'fax_search', 'IDX_1A8196567E3C61F9', 'mt_generated_email_domain']));
    expect(indexes).not.toContain('lead_date_added');
    expect(indexes).not.toContain('IDX_179045527E3C61F9');
    expect(t.db.table('leads')).toBe('mt_leads');
  });
});

type ColumnRow = { TABLE_NAME: string; COLUMN_NAME: string; COLUMN_TYPE: string; IS_NULLABLE: string; COLUMN_DEFAULT: string | null; COLUMN_COMMENT: string; EXTRA: string };

const columnsOf = (db: Db, schema: string): Promise<ColumnRow[]> =>
  db.query<ColumnRow>(
    `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT, EXTRA
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [schema],
  );
const indexesOf = (db: Db, schema: string) =>
  db.query<{ TABLE_NAME: string }>(
    `SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, SUB_PART
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [schema],
  );
const foreignKeysOf = (db: Db, schema: string) =>
  db.query<{ TABLE_NAME: string; REFERENCED_TABLE_NAME: string }>(
    `SELECT CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME, DELETE_RULE
       FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
    [schema],
  );

describeWithMysql('migrate on MariaDB', () => {
  let ours: TestDb;
  let real: TestDb;
  let oursName: string;
  let realName: string;
  beforeAll(async () => {
    [ours, real] = await Promise.all([createTestDb('mysql'), createTestDb('real-mautic')]);
    oursName = new URL(ours.url).pathname.slice(1);
    realName = new URL(real.url).pathname.slice(1);
  });
  afterAll(async () => {
    await Promise.all([ours?.drop(), real?.drop()]);
  });

  it('gives every column the type, nullability, default and comment docs/mautic/schema.md lists', async () => {
    const rows = await columnsOf(ours.db, oursName);
    for (const table of TABLES) {
      const got = rows.filter((r) => r.TABLE_NAME === table);
      const expected = (ALL_COLUMNS[table] ?? []).map(docColumn);
      expect(got.map((r) => r.COLUMN_NAME)).toEqual(expected.map((c) => c.name));
      expected.forEach((doc, n) => {
        const r = got[n]!;
        const type = doc.type === 'JSON' ? 'LONGTEXT' : doc.type; // MariaDB stores JSON as LONGTEXT + CHECK (§0.3)
        expect([table, doc.name, docTypeOfMariadb(r.COLUMN_TYPE), r.IS_NULLABLE]).toEqual([table, doc.name, type, doc.nullable ? 'YES' : 'NO']);
        if (doc.extra === 'array' || doc.extra === 'guid') expect([table, doc.name, r.COLUMN_COMMENT]).toEqual([table, doc.name, `(DC2Type:${doc.extra})`]);
        if (doc.extra === 'generated') expect([table, doc.name, r.EXTRA]).toEqual([table, doc.name, 'VIRTUAL GENERATED']);
        if (doc.extra.startsWith('default')) expect([table, doc.name, r.COLUMN_DEFAULT]).toEqual([table, doc.name, doc.extra.slice('default'.length)]);
      });
    }
  });

  it('matches a real Mautic 5 database column for column and index for index', async () => {
    const covered = (r: { TABLE_NAME: string }) => TABLES.includes(r.TABLE_NAME);
    expect(await columnsOf(ours.db, oursName)).toEqual((await columnsOf(real.db, realName)).filter(covered));
    expect(await indexesOf(ours.db, oursName)).toEqual((await indexesOf(real.db, realName)).filter(covered));
  });

  it('has the foreign keys of a real Mautic 5 database, except those to tables it does not create', async () => {
    const realFks = (await foreignKeysOf(real.db, realName)).filter((r) => TABLES.includes(r.TABLE_NAME) && TABLES.includes(r.REFERENCED_TABLE_NAME));
    expect(await foreignKeysOf(ours.db, oursName)).toEqual(realFks);
  });

  it('computes the same generated columns as Mautic', async () => {
    for (const db of [ours.db, real.db]) {
      await db.execute("INSERT INTO leads (is_published, points, email) VALUES (1, 0, 'ana@example.org')");
      await db.execute("INSERT INTO email_stats (email_address, date_sent, is_read, is_failed, viewed_in_browser) VALUES ('ana@example.org', '2024-03-05 23:59:59', 0, 0, 0)");
    }
    const read = (db: Db) => db.query('SELECT l.generated_email_domain, s.generated_sent_date FROM leads l, email_stats s');
    expect(await read(ours.db)).toEqual([{ generated_email_domain: 'example.org', generated_sent_date: '2024-03-05' }]);
    expect(await read(real.db)).toEqual(await read(ours.db));
  });

  it('is idempotent and leaves a real Mautic database untouched', async () => {
    expect(await migrate(ours.db)).toEqual([]);
    expect(await migrate(real.db)).toEqual([]);
  });
});

describeWithMysql('migrate with a table prefix on MariaDB', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('mysql', { prefix: 'mt_' });
  });
  afterAll(() => t?.drop());

  it('prefixes tables, named indexes and re-hashes Doctrine names (§0.2, §0.5)', async () => {
    const name = new URL(t.url).pathname.slice(1);
    const tables = await t.db.query<{ n: string }>('SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY n', [name]);
    expect(tables.map((r) => r.n).sort()).toEqual(TABLES.map((n) => `mt_${n}`).sort());
    const leadIndexes = await t.db.query<{ n: string }>("SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'mt_leads'", [name]);
    expect(leadIndexes.map((r) => r.n)).toEqual(expect.arrayContaining(['IDX_1A8196567E3C61F9', 'mt_lead_date_added', 'fax_search', 'mt_generated_email_domain']));
    const fks = await t.db.query<{ n: string }>("SELECT CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = 'mt_leads'", [name]);
    expect(fks.map((r) => r.n)).toEqual(['FK_1A8196567E3C61F9']);
  });
});
