/**
 * A dry run never waits on the monolith's locks (docs/architecture.md §5): while another
 * transaction holds the row an email open would update, a shadow request gives up within
 * its short lock timeout with 503 TRK_ERR_DRY_RUN_GAVE_UP and `X-Strangler-Dry-Run: 1`,
 * and writes nothing. MariaDB only: SQLite has one connection, so nothing is locked by
 * another session there.
 */
import { findEmailStatById } from '../../../legacy-adapter/src/data/emails.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { TEST_NOW } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { describeWithMysql } from '../../../test-support/services.ts';
import { STAT_HASH, browser, givenSentEmail } from '../../contract/tracking/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { trackingConfig } from '../src/config.ts';
import { startTracking } from '../src/server.ts';
import type { RunningTracking } from '../src/server.ts';

describeWithMysql('tracking dry run meeting a row lock', () => {
  let testDb: TestDb;
  let db: Db;
  let tracking: RunningTracking;
  beforeAll(async () => {
    testDb = await createTestDb('mysql');
    db = testDb.db;
    tracking = await startTracking({ db, config: trackingConfig({ dryRunLockTimeoutMs: 200 }), now: () => TEST_NOW }, { port: 0 });
  }, 90_000); // creating the database's tables takes a while on a loaded machine
  afterAll(async () => {
    await tracking?.close();
    await testDb?.drop();
  });

  it('gives up with 503 and the dry-run header, and changes nothing', async () => {
    const fx = await givenSentEmail(db);
    let answer: Awaited<ReturnType<typeof sendRaw>> | undefined;
    await db.transaction(async (tx) => {
      await tx.query(`SELECT id FROM ${tx.table('email_stats')} WHERE id = ? FOR UPDATE`, [fx.statId!]);
      answer = await sendRaw(tracking.url, { path: `/email/${STAT_HASH}.gif`, headers: browser({ 'x-strangler-mode': 'shadow' }) });
    });
    expect([answer!.status, answer!.headers['x-strangler-dry-run'], answer!.headers['x-tracking-error'], answer!.headers['x-strangler-dry-run-gave-up']]).toEqual([503, '1', 'TRK_ERR_DRY_RUN_GAVE_UP', 'lock-timeout']);
    expect(await findEmailStatById(db, Number(fx.statId))).toMatchObject({ is_read: false, open_count: null, last_opened: null });
  });

  it('answers normally once the lock is gone', async () => {
    const res = await sendRaw(tracking.url, { path: `/email/${STAT_HASH}.gif`, headers: browser({ 'x-strangler-mode': 'shadow' }) });
    expect([res.status, res.headers['x-strangler-dry-run'], res.headers['content-type']]).toEqual([200, '1', 'image/gif']);
  });
});
