/**
 * A dry run never waits on the monolith's locks (docs/architecture.md §5): while another
 * transaction holds the contact row a submission would update, a shadow submission gives up
 * within its short lock timeout with 503 FORMS_ERR_DRY_RUN_GAVE_UP and `X-Strangler-Dry-Run: 1`,
 * and writes nothing. MariaDB only: SQLite has one connection, so no other session locks there.
 */
import { findLeadById, insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { TEST_NOW, count } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { describeWithMysql } from '../../../test-support/services.ts';
import { formBody, formHeaders, givenContactForm } from '../../contract/forms/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { formsConfig } from '../src/config.ts';
import { startForms } from '../src/server.ts';
import type { RunningForms } from '../src/server.ts';

describeWithMysql('forms dry run meeting a row lock', () => {
  let testDb: TestDb;
  let db: Db;
  let forms: RunningForms;
  let post: { method: string; path: string; headers: Record<string, string>; body: string };
  let leadId: number;
  beforeAll(async () => {
    testDb = await createTestDb('mysql');
    db = testDb.db;
    forms = await startForms({ db, config: formsConfig({ dryRunLockTimeoutMs: 200 }), now: () => TEST_NOW }, { port: 0 });
    const formId = await givenContactForm(db);
    leadId = await insertLead(db, { email: 'ann@example.org', firstname: 'Old' });
    post = { method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders({ 'x-strangler-mode': 'shadow' }), body: formBody({ formId: String(formId), email: 'ann@example.org', first_name: 'New' }) };
  });
  afterAll(async () => {
    await forms.close();
    await testDb.drop();
  });

  it('gives up with 503 and the dry-run header, and changes nothing', async () => {
    let answer: Awaited<ReturnType<typeof sendRaw>> | undefined;
    await db.transaction(async (tx) => {
      await tx.query(`SELECT id FROM ${tx.table('leads')} WHERE id = ? FOR UPDATE`, [leadId]);
      answer = await sendRaw(forms.url, post);
    });
    expect([answer!.status, answer!.headers['x-strangler-dry-run'], answer!.headers['x-forms-error'], answer!.headers['x-strangler-dry-run-gave-up']]).toEqual([503, '1', 'FORMS_ERR_DRY_RUN_GAVE_UP', 'lock-timeout']);
    expect(await findLeadById(db, leadId)).toMatchObject({ firstname: 'Old' });
    expect(await count(db, 'form_submissions')).toBe(0);
  });

  it('answers normally once the lock is gone', async () => {
    const res = await sendRaw(forms.url, post);
    expect([res.status, res.headers['x-strangler-dry-run'], JSON.parse(res.body.toString()).success]).toEqual([200, '1', 1]);
    expect(await findLeadById(db, leadId)).toMatchObject({ firstname: 'Old' });
  });
});
