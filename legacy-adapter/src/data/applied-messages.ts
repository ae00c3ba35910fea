/**
 * `strangler_applied_messages`: one of the two tables of ours in the Mautic database (the other is
 * `strangler_pending_mail`, pending-mail.ts). A worker that
 * applies a queued message writes its id here in the same transaction as the rows the
 * message makes, so a redelivered message is recognised and changes nothing (at-least-once
 * delivery, exactly-once effect). Mautic ignores the table; `ensureAppliedMessagesTable`
 * creates it when missing and never alters anything else. (Added by the tracking service.)
 */
import { isDbError } from '../db/errors.ts';
import type { Db } from '../db/types.ts';

/** The table name before the Mautic prefix. */
export const APPLIED_MESSAGES_TABLE = 'strangler_applied_messages';

/** Creates the table if it does not exist (idempotent). */
export async function ensureAppliedMessagesTable(db: Db): Promise<void> {
  const table = db.table(APPLIED_MESSAGES_TABLE);
  const sql = db.dialect === 'mysql'
    ? `CREATE TABLE IF NOT EXISTS ${table} (message_id VARCHAR(64) NOT NULL, applied_at DATETIME NOT NULL, PRIMARY KEY (message_id)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB`
    : `CREATE TABLE IF NOT EXISTS ${table} (message_id TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`;
  await db.execute(sql);
}

/**
 * Records that `messageId` is being applied, inside the caller's transaction.
 *
 * @returns false when it was applied before (the caller then does nothing).
 */
export async function markMessageApplied(db: Db, messageId: string, appliedAt: string): Promise<boolean> {
  try {
    await db.execute(`INSERT INTO ${db.table(APPLIED_MESSAGES_TABLE)} (message_id, applied_at) VALUES (?, ?)`, [messageId, appliedAt]);
    return true;
  } catch (err) {
    if (isDbError(err, 'DB_DUPLICATE_KEY')) return false;
    throw err;
  }
}
