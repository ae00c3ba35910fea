/**
 * Throw-away databases on the bench's MariaDB (`BENCH_DATABASE_URL`, default root on
 * 127.0.0.1:3306): one per measured part, created empty and dropped at the end. An empty one is
 * migrated by the first part started on it (the stand-in or a service); `seed` fills one the
 * way `npm run seed` does.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { ROOT } from './parts.ts';

const DB_SERVER = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';

/** A throw-away database. */
export interface BenchDatabase {
  url: string;
  /** A connection of the bench's own, on this database. */
  conn: Connection;
  drop(): Promise<void>;
  /** `page_hits` rows whose phase 2 ran (`lead_id` set). */
  completeHits(): Promise<number>;
  /** Rows of `table` (matching `where`, SQL). */
  count(table: string, where?: string): Promise<number>;
  /** The rows of a query run in this database. */
  select<T>(sql: string): Promise<T[]>;
}

/** Creates an empty database named `strangler_bench_<random>`. */
export async function freshDatabase(): Promise<BenchDatabase> {
  const name = `strangler_bench_${randomBytes(4).toString('hex')}`;
  const server = new URL(DB_SERVER);
  const conn = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: server.username || 'root', password: server.password });
  await conn.query(`CREATE DATABASE \`${name}\` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.query(`USE \`${name}\``);
  server.pathname = `/${name}`;
  const count = async (table: string, where = '1'): Promise<number> => {
    const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE ${where}`);
    return Number((rows as { n: number }[])[0]?.n ?? 0);
  };
  return {
    url: server.toString(),
    conn,
    count,
    select: async <T>(sql: string) => (await conn.query(sql))[0] as T[],
    completeHits: () => count('page_hits', 'lead_id IS NOT NULL'),
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

/**
 * Seeds `db` with the seed CLI (`npm run seed`'s) and returns what it printed: the ids and the
 * API user the measures read from it. Throws when the seed fails.
 */
export function seed(db: BenchDatabase): string {
  const run = spawnSync(process.execPath, ['legacy-adapter/src/seed/seed-cli.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`seed failed: ${run.stderr || run.stdout}`);
  return run.stdout;
}
