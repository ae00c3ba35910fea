import { DbError } from '../db/errors.ts';
import { MYSQL_TABLE_OPTIONS } from '../db/ddl-mysql.ts';
import { doctrineName } from '../db/schema/index.ts';
import type { Db, Row, SqlValue } from '../db/types.ts';
import { ALIAS, findFormById, listFormFields } from './forms.ts';
import { quote } from './table-access.ts';

/**
 * The per-form results tables `{prefix}form_results_{id}_{alias}` (docs/mautic/schema.md "Form
 * results tables"): `submission_id` INT PK (= form_submissions.id, no FK), `form_id` INT,
 * then one LONGTEXT NULL column per field alias, except view-only field types.
 *
 * DDL note: on MySQL, CREATE/ALTER TABLE commit any open transaction, so create results
 * tables outside `db.transaction` (Mautic does it when a form is saved, not on submit).
 */

/** Field types that never get a results column (Mautic's built-in view-only list). */
export const VIEW_ONLY_FIELD_TYPES: readonly string[] = ['button', 'captcha', 'freetext', 'freehtml', 'pagebreak'];

/** A form as far as its results table is concerned. */
export interface FormRef {
  id: number;
  alias: string;
}

function checkAliases(aliases: readonly string[]): void {
  const bad = aliases.filter((a) => !ALIAS.test(a));
  if (bad.length > 0) throw new DbError('DB_INPUT_INVALID', `Not a usable form/field alias: ${bad.join(', ')}`, { alias: bad.join(',') });
}

/** The (prefixed) results table name of a form. */
export function formResultsTable(db: Db, form: FormRef): string {
  checkAliases([form.alias]);
  return db.table(`form_results_${form.id}_${form.alias}`);
}

async function existingColumns(db: Db, table: string): Promise<string[] | undefined> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.query<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [table])
      : await db.query<{ name: string }>('SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [table]);
  return rows.length === 0 ? undefined : rows.map((r) => r.name);
}

/**
 * Creates the results table of `form` for `fields`, or adds the columns it lacks when it
 * exists (columns are never dropped or retyped, as in Mautic).
 * @returns the names of the columns added (all field columns when the table was created).
 */
export async function createFormResultsTable(db: Db, form: FormRef, fields: readonly { alias: string; type: string }[]): Promise<string[]> {
  const table = formResultsTable(db, form);
  const aliases = [...new Set(fields.filter((f) => !VIEW_ONLY_FIELD_TYPES.includes(f.type)).map((f) => f.alias))];
  checkAliases(aliases);
  const existing = await existingColumns(db, table);
  if (existing === undefined) {
    for (const sql of createStatements(db, table, aliases)) await db.execute(sql);
    return aliases;
  }
  const missing = aliases.filter((a) => !existing.includes(a));
  const type = db.dialect === 'mysql' ? 'LONGTEXT DEFAULT NULL' : 'TEXT';
  for (const a of missing) await db.execute(`ALTER TABLE ${quote(db, table)} ADD ${quote(db, a)} ${type}`);
  return missing;
}

function createStatements(db: Db, table: string, aliases: string[]): string[] {
  const unique = doctrineName('UNIQ', table, ['submission_id', 'form_id']);
  const q = (n: string) => quote(db, n);
  if (db.dialect === 'mysql') {
    const cols = ['`submission_id` INT NOT NULL', '`form_id` INT NOT NULL', ...aliases.map((a) => `${q(a)} LONGTEXT DEFAULT NULL`)];
    return [`CREATE TABLE ${q(table)} (${cols.join(', ')}, UNIQUE INDEX ${q(unique)} (submission_id, form_id), PRIMARY KEY(submission_id)) ${MYSQL_TABLE_OPTIONS}`];
  }
  const cols = ['"submission_id" INTEGER NOT NULL PRIMARY KEY', '"form_id" INTEGER NOT NULL', ...aliases.map((a) => `${q(a)} TEXT`)];
  return [`CREATE TABLE ${q(table)} (${cols.join(', ')}) STRICT`, `CREATE UNIQUE INDEX ${q(unique)} ON ${q(table)} ("submission_id", "form_id")`];
}

/**
 * Creates (or completes) the results table of a stored form from its `form_fields` rows.
 * @throws DbError `DB_INPUT_INVALID` when the form does not exist.
 */
export async function createFormResultsTableFor(db: Db, formId: number): Promise<string[]> {
  const form = await findFormById(db, formId);
  if (!form) throw new DbError('DB_INPUT_INVALID', `No form with id ${formId}`, { table: 'forms', id: formId });
  return createFormResultsTable(db, form, await listFormFields(db, formId));
}

/**
 * Writes the results row of a submission, as SubmissionRepository::saveEntity does:
 * `submission_id`, `form_id` and one value per field alias (strings; arrays already joined
 * with ', '; `null` for none).
 */
export async function insertFormResult(db: Db, form: FormRef, submissionId: number, values: Record<string, string | null>): Promise<void> {
  const table = formResultsTable(db, form);
  const aliases = Object.keys(values);
  checkAliases(aliases);
  const bad = aliases.filter((a) => values[a] !== null && typeof values[a] !== 'string');
  if (bad.length > 0) throw new DbError('DB_INPUT_INVALID', `Form result values must be strings or null: ${bad.join(', ')}`);
  const columns = ['submission_id', 'form_id', ...aliases].map((c) => quote(db, c));
  const params: SqlValue[] = [submissionId, form.id, ...aliases.map((a) => values[a] ?? null)];
  await db.execute(`INSERT INTO ${quote(db, table)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, params);
}

/** The results row of a submission (column → stored text), or undefined. */
export async function findFormResult(db: Db, form: FormRef, submissionId: number): Promise<Row | undefined> {
  const [row] = await db.query(`SELECT * FROM ${quote(db, formResultsTable(db, form))} WHERE submission_id = ?`, [submissionId]);
  return row;
}

/**
 * The results rows of one contact's earlier submissions of `form` (joined through
 * `form_submissions.lead_id`), oldest first; what progressive profiling counts and reads.
 */
export async function listContactFormResults(db: Db, form: FormRef, leadId: number): Promise<Row[]> {
  return db.query(
    `SELECT r.* FROM ${quote(db, formResultsTable(db, form))} r JOIN ${db.table('form_submissions')} s ON s.id = r.submission_id WHERE s.lead_id = ? ORDER BY r.submission_id`,
    [leadId],
  );
}
