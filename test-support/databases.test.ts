import { existingTables } from '../legacy-adapter/src/db/migrate.ts';
import { MAUTIC_TABLES } from '../legacy-adapter/src/db/schema/index.ts';
import { forEachDialect, type TestDbKind } from './databases.ts';
import { REAL_MAUTIC_TABLE_COUNT, realMauticStatements } from './real-mautic-schema.ts';

const seen: TestDbKind[] = [];

forEachDialect('test databases', (getDb, kind) => {
  it('gives each kind its own database: ours migrated, the real Mautic one as Mautic installed it', async () => {
    seen.push(kind);
    const db = getDb();
    const tables = new Set([...(await existingTables(db))].filter((n) => n !== 'sqlite_sequence')); // SQLite's own
    expect(db.prefix).toBe('mt_');
    expect([...tables].filter((n) => !n.startsWith('mt_'))).toEqual([]);
    expect(tables.size).toBe(kind === 'real-mautic' ? REAL_MAUTIC_TABLE_COUNT : MAUTIC_TABLES.length);
    expect(tables.has('mt_plugins')).toBe(kind === 'real-mautic'); // a table only Mautic has
    expect(MAUTIC_TABLES.filter((d) => !tables.has(`mt_${d.name}`))).toEqual([]);
  });
}, { prefix: 'mt_', realMautic: true });

describe('real Mautic 5 schema file', () => {
  it('prefixes CREATE TABLE, ALTER TABLE and REFERENCES', () => {
    const statements = realMauticStatements('mt_');
    expect(statements.filter((s) => s.startsWith('CREATE TABLE '))).toHaveLength(REAL_MAUTIC_TABLE_COUNT);
    expect(statements.filter((s) => !/^(CREATE|ALTER) TABLE mt_/.test(s))).toEqual([]);
    expect(statements.filter((s) => / REFERENCES (?!mt_)/.test(s))).toEqual([]);
  });
});

afterAll(() => {
  // The sqlite block always runs; the MariaDB ones only when the server answered.
  expect(seen[0]).toBe('sqlite');
  if (seen.length > 1) expect(seen).toEqual(['sqlite', 'mysql', 'real-mautic']);
});
