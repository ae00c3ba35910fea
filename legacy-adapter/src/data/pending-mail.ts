/**
 * `strangler_pending_mail`: messages whose stats are committed and which are not yet on the mail
 * queue. The sending service writes a row in the same transaction as the message's
 * `email_stats` row and deletes it once the queue took the message; a row that stays is a
 * message a crash (or a refusing Redis) left between the commit and the queue, and the
 * pending-mail sweeper puts it on the queue later. Mautic ignores the table; `ensurePendingMailTable`
 * creates it when missing and never alters anything else.
 */
import type { Db, SqlValue } from '../db/types.ts';

/** The table name before the Mautic prefix. */
export const PENDING_MAIL_TABLE = 'strangler_pending_mail';

/** One waiting message: its stat, the queue it belongs on and the job, as JSON text. */
export interface PendingMailRow {
  statId: number;
  queue: string;
  /** The queue job (the rendered message and its ids) as JSON. */
  job: string;
  /** When the row was written, ms since the epoch (the process clock, not Mautic's). */
  createdAtMs: number;
}

/** Creates the table if it does not exist (idempotent). */
export async function ensurePendingMailTable(db: Db): Promise<void> {
  const table = db.table(PENDING_MAIL_TABLE);
  const sql = db.dialect === 'mysql'
    ? `CREATE TABLE IF NOT EXISTS ${table} (stat_id BIGINT UNSIGNED NOT NULL, queue VARCHAR(191) NOT NULL, job LONGTEXT NOT NULL, created_at_ms BIGINT NOT NULL, PRIMARY KEY (stat_id)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB`
    : `CREATE TABLE IF NOT EXISTS ${table} (stat_id INTEGER NOT NULL PRIMARY KEY, queue TEXT NOT NULL, job TEXT NOT NULL, created_at_ms INTEGER NOT NULL) STRICT`;
  await db.execute(sql);
}

/** Writes the rows in one statement (inside the caller's transaction). */
export async function insertPendingMail(db: Db, rows: readonly PendingMailRow[]): Promise<void> {
  if (rows.length === 0) return;
  const params: SqlValue[] = [];
  for (const row of rows) params.push(row.statId, row.queue, row.job, row.createdAtMs);
  await db.execute(`INSERT INTO ${db.table(PENDING_MAIL_TABLE)} (stat_id, queue, job, created_at_ms) VALUES ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`, params);
}

/** Removes the rows of these stats (their messages are on the queue, sent, or failed for good). */
export async function deletePendingMail(db: Db, statIds: readonly number[]): Promise<void> {
  if (statIds.length === 0) return;
  await db.execute(`DELETE FROM ${db.table(PENDING_MAIL_TABLE)} WHERE stat_id IN (${statIds.map(() => '?').join(', ')})`, statIds);
}

/** Up to `limit` rows of `queue` written before `beforeMs` with a stat id above `afterStatId`, in stat order. */
export async function listPendingMailBefore(db: Db, queue: string, beforeMs: number, limit: number, afterStatId = 0): Promise<PendingMailRow[]> {
  const rows = await db.query<{ stat_id: number; queue: string; job: string; created_at_ms: number }>(
    `SELECT stat_id, queue, job, created_at_ms FROM ${db.table(PENDING_MAIL_TABLE)} WHERE queue = ? AND created_at_ms < ? AND stat_id > ? ORDER BY stat_id LIMIT ${Math.max(1, Math.floor(limit))}`,
    [queue, beforeMs, afterStatId],
  );
  return rows.map((r) => ({ statId: Number(r.stat_id), queue: r.queue, job: r.job, createdAtMs: Number(r.created_at_ms) }));
}
