/**
 * The forms service beyond the shared contract: stored files (and none in a dry run), one
 * transaction per submission (a failure leaves nothing), the body limit, kiosk forms, health
 * and unknown paths. Real HTTP on 127.0.0.1, SQLite and MariaDB.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { TEST_NOW, count } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../../test-support/databases.ts';
import { EMAIL_FIELD, clearFormsContract, formBody, formHeaders, givenContactForm, givenForm } from '../../contract/forms/fixtures.ts';
import { multipartWithFile } from '../../contract/forms/uploads.cases.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { formsConfig } from '../src/config.ts';
import { startForms } from '../src/server.ts';
import type { RunningForms } from '../src/server.ts';

const CV = { label: 'CV', alias: 'cv', type: 'file', properties: { allowed_file_extensions: ['pdf'], allowed_file_size: 1 } };

forEachDialect('forms service', (getDb) => {
  let db: Db;
  let dir: string;
  let forms: RunningForms;
  const start = async (extra: Record<string, unknown> = {}) => {
    forms = await startForms({ db, config: formsConfig({ uploadDir: dir, ...extra }), now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 500 });
  };
  const filesUnder = (root: string): string[] => (existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)) : []);

  beforeEach(async () => {
    db = getDb();
    await clearFormsContract(db);
    dir = await mkdtemp(join(tmpdir(), 'forms-uploads-'));
  });
  afterEach(async () => {
    await forms?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores an accepted file under <dir>/<formId>/<fieldId>/<submissionId>-<name>', async () => {
    await start();
    const { formId, fieldIds } = await givenForm(db, { name: 'Jobs', alias: 'jobs' }, [EMAIL_FIELD, CV]);
    const res = await sendRaw(forms.url, { method: 'POST', path: '/form/submit?ajax=1', ...multipartWithFile(formId, '../../etc/my cv.pdf', '%PDF-1.4 hi') });
    expect(res.status).toBe(200);
    const [submission] = await db.query<{ id: number }>(`SELECT id FROM ${db.table('form_submissions')}`);
    const path = join(dir, String(formId), String(fieldIds.cv), `${submission!.id}-my_cv.pdf`);
    expect(filesUnder(dir)).toEqual([path]);
    expect(readFileSync(path, 'utf8')).toBe('%PDF-1.4 hi');
  });

  it('writes no file and no row in a dry run, and confirms it', async () => {
    await start();
    const { formId } = await givenForm(db, { name: 'Jobs', alias: 'jobs' }, [EMAIL_FIELD, CV]);
    const post = multipartWithFile(formId, 'cv.pdf', '%PDF');
    const res = await sendRaw(forms.url, { method: 'POST', path: '/form/submit?ajax=1', headers: { ...post.headers, 'x-strangler-mode': 'shadow' }, body: post.body });
    expect([res.status, res.headers['x-strangler-dry-run'], JSON.parse(res.body.toString()).success]).toEqual([200, '1', 1]);
    expect(filesUnder(dir)).toEqual([]);
    expect(await count(db, 'form_submissions')).toBe(0);
  });

  it('leaves nothing half-written when a write fails: 500 FORMS_ERR_DATABASE', async () => {
    await start();
    const formId = await givenContactForm(db);
    await db.execute(`DROP TABLE ${db.dialect === 'mysql' ? `\`${db.table(`form_results_${formId}_contactus`)}\`` : `"${db.table(`form_results_${formId}_contactus`)}"`}`);
    const res = await sendRaw(forms.url, { method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: String(formId), email: 'ann@example.org' }) });
    expect([res.status, res.headers['x-forms-error']]).toEqual([500, 'FORMS_ERR_DATABASE']);
    expect(res.cookies).toEqual([]);
    for (const table of ['leads', 'form_submissions', 'lead_event_log', 'lead_devices', 'lead_ips_xref']) expect([table, await count(db, table)]).toEqual([table, 0]);
  });

  it('rolls the submission back when its file cannot be stored: 500 FORMS_ERR_UPLOAD_STORE', async () => {
    const notADir = join(dir, 'a-file');
    writeFileSync(notADir, 'x');
    await start({ uploadDir: notADir });
    const { formId } = await givenForm(db, { name: 'Jobs', alias: 'jobs' }, [EMAIL_FIELD, CV]);
    const res = await sendRaw(forms.url, { method: 'POST', path: '/form/submit?ajax=1', ...multipartWithFile(formId, 'cv.pdf', '%PDF') });
    expect([res.status, res.headers['x-forms-error']]).toEqual([500, 'FORMS_ERR_UPLOAD_STORE']);
    for (const table of ['leads', 'form_submissions']) expect([table, await count(db, table)]).toEqual([table, 0]);
  });

  it('reads a body over the limit as an empty post (post_max_size): the form is not available', async () => {
    await start({ maxBodyBytes: 1024 });
    const formId = await givenContactForm(db);
    const res = await sendRaw(forms.url, { method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: `${formBody({ formId: String(formId), email: 'a@b.co' })}&x=${'y'.repeat(2000)}` });
    expect(JSON.parse(res.body.toString())).toEqual({ success: 0, errorMessage: 'This form is no longer available.' });
    expect(await count(db, 'form_submissions')).toBe(0);
  });

  it('kiosk forms always make a new contact and set no cookies', async () => {
    await start();
    const formId = await givenContactForm(db, { in_kiosk_mode: true });
    await insertLead(db, { email: 'ann@example.org' });
    const res = await sendRaw(forms.url, { method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: String(formId), email: 'ann@example.org' }) });
    expect([res.status, res.cookies]).toEqual([200, []]);
    expect(await count(db, 'leads')).toBe(2);
    const [submission] = await db.query(`SELECT tracking_id FROM ${db.table('form_submissions')}`);
    expect(submission).toEqual({ tracking_id: null });
  });

  it('answers health, readiness and Mautic\'s 404', async () => {
    await start();
    expect((await sendRaw(forms.url, { path: '/healthz' })).status).toBe(200);
    expect((await sendRaw(forms.url, { path: '/readyz' })).status).toBe(200);
    const missing = await sendRaw(forms.url, { path: '/form/1' });
    expect([missing.status, missing.headers['x-forms-error']]).toEqual([404, 'FORMS_ERR_NOT_FOUND']);
  });
});
