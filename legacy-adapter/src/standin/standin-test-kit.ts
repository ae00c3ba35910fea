/**
 * Test helpers for the stand-in (used by its *.test.ts files only): a running
 * stand-in on port 0 over a test database with a fixed clock, a mailer that
 * keeps messages in memory, and small row readers.
 */
import type { Db, Row } from '../db/types.ts';
import type { Mailer, OutgoingEmail } from '../mail/types.ts';
import { standinConfig } from './deps.ts';
import type { StandinConfig, StandinDeps } from './deps.ts';
import { startStandin } from './server.ts';
import type { RunningStandin } from './server.ts';

/** The fixed clock of stand-in tests: Thu, 24 Oct 2024 10:00:00 UTC. */
export const TEST_NOW = new Date(Date.UTC(2024, 9, 24, 10, 0, 0));
/** TEST_NOW as a Mautic DATETIME. */
export const TEST_NOW_TEXT = '2024-10-24 10:00:00';
/** A browser User-Agent (trackable). */
export const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** A Mailer that keeps what it is given. */
export function memoryMailer(): Mailer & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  let n = 0;
  return {
    sent,
    async send(message) {
      sent.push(message);
      n += 1;
      return { messageId: `<${n}@standin.test>` };
    },
    async close() {},
  };
}

/** Starts a stand-in on 127.0.0.1:0 (silent log, fixed clock; a fresh memoryMailer unless given one). */
export function startTestStandin(db: Db, config: Partial<StandinConfig> = {}, mailer: Mailer = memoryMailer()): Promise<RunningStandin> {
  const deps: StandinDeps = { db, config: standinConfig(config), mailer, now: () => TEST_NOW };
  return startStandin(deps, { port: 0 }, { log: { notice: () => {}, error: () => {} } });
}

// The readers below stay raw on purpose: tests assert the bytes stored, and no repository
// offers "every row" or "empty these tables".

/** All rows of a table, by id (or the given order), undecoded. */
export function rows(db: Db, table: string, orderBy = 'id'): Promise<Row[]> {
  return db.query(`SELECT * FROM ${db.table(table)} ORDER BY ${orderBy}`);
}

/** Number of rows of a table. */
export async function count(db: Db, table: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${db.table(table)}`);
  return Number(row?.n ?? 0);
}

/** Empties the tables tracking writes, children first. */
export async function clearTrackingTables(db: Db): Promise<void> {
  for (const t of ['email_stats_devices', 'page_hits', 'lead_event_log', 'lead_ips_xref', 'lead_devices', 'email_stats', 'channel_url_trackables', 'page_redirects', 'emails', 'ip_addresses', 'leads']) {
    await db.execute(`DELETE FROM ${db.table(t)}`);
  }
}

/**
 * Adds a published landing page to Mautic's `pages` table, which only a real Mautic 5 schema
 * has (`migrate` does not create it and no repository writes it: pages are made in Mautic's
 * UI). Every NOT NULL column without a default gets what a new Page entity holds.
 *
 * @returns the new `pages.id`
 */
export async function insertLandingPage(db: Db, alias: string): Promise<number> {
  const sql = `INSERT INTO ${db.table('pages')} (is_published, date_added, title, alias, hits, unique_hits, variant_hits, revision, lang)
    VALUES (1, ?, ?, ?, 0, 0, 0, 1, 'en')`;
  return (await db.execute(sql, [TEST_NOW_TEXT, alias, alias])).insertId;
}

/** The value part of each Set-Cookie, by cookie name. */
export function cookieValues(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair = ''] = c.split(';');
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
