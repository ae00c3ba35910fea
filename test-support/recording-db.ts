/**
 * A `Db` that writes down every statement sent through it, transactions included, so a test
 * can say which reads a request made (e.g. that a returning visitor's hit reads no contact).
 *
 * @example
 * const recording = recordingDb(db);
 * await startTracking({ db: recording.db, config }, { port: 0 });
 * recording.statements.length = 0; // … send a request …
 * expect(recording.selects()).toEqual([]);
 */
import type { Db } from '../legacy-adapter/src/db/types.ts';

/** The wrapped database and what went through it. */
export interface RecordingDb {
  db: Db;
  /** Every statement's SQL, in order (transactions' BEGIN and COMMIT are not statements here). */
  statements: string[];
  /** The tables each SELECT read first (`FROM x`), in order. */
  selects(): string[];
  /** Each statement as its verb and first table (`SELECT lead_fields`, `UPDATE leads`, `INSERT page_hits`), in order. */
  shapes(): string[];
}

// The verb, then the table it names first: SELECT … FROM t, INSERT INTO t, UPDATE t, DELETE FROM t.
const SHAPE = /^\s*(SELECT\b.*?\bFROM|INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?([a-z0-9_]+)/is;

function shapeOf(sql: string): string {
  const match = SHAPE.exec(sql);
  return match ? `${match[1]!.split(/\s/)[0]!.toUpperCase()} ${match[2]}` : sql;
}

function wrap(db: Db, statements: string[]): Db {
  return {
    dialect: db.dialect,
    prefix: db.prefix,
    table: (name) => db.table(name),
    query(sql, params) {
      statements.push(sql);
      return db.query(sql, params);
    },
    execute(sql, params) {
      statements.push(sql);
      return db.execute(sql, params);
    },
    executeLater(sql, params) {
      statements.push(sql);
      return db.executeLater(sql, params);
    },
    transaction: (fn, options) => db.transaction((tx) => fn(wrap(tx, statements)), options),
    close: () => db.close(),
  };
}

/** Wraps `db`; closing the wrapper closes `db`. */
export function recordingDb(db: Db): RecordingDb {
  const statements: string[] = [];
  return {
    db: wrap(db, statements),
    statements,
    selects: () => statements.map(shapeOf).filter((shape) => shape.startsWith('SELECT ')).map((shape) => shape.slice('SELECT '.length)),
    shapes: () => statements.map(shapeOf),
  };
}
