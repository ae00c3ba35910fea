import { forEachDialect } from '../../../test-support/databases.ts';
import { doctrineName, FORM_FIELDS, FORM_SUBMISSIONS, FORMS } from '../db/schema/index.ts';
import { insertLead } from './contacts.ts';
import { createFormResultsTable, createFormResultsTableFor, findFormResult, formResultsTable, insertFormResult } from './form-results.ts';
import { findFormById, findFormSubmissionById, insertForm, insertFormField, insertFormSubmission, listFormFields, listFormSubmissions } from './forms.ts';
import { nullNotNullColumns, rawRow } from './test-fixtures/row-checks.ts';

it('names the results unique index like Doctrine (docs/mautic/schema.md "Form results tables")', () => {
  expect(doctrineName('UNIQ', 'form_results_1_contactus', ['submission_id', 'form_id'])).toBe('UNIQ_FEEC587DE1FD49335FF69B7D');
  expect(doctrineName('UNIQ', 'mt_form_results_1_contactus', ['submission_id', 'form_id'])).toBe('UNIQ_5EFA5263E1FD49335FF69B7D');
});

forEachDialect('forms repository', (getDb) => {
  it('stores a form, its fields, a submission and a results row', async () => {
    const db = getDb();
    const formId = await insertForm(db, { name: 'Contact us', alias: 'contactus' });
    expect(nullNotNullColumns(FORMS, await rawRow(db, FORMS, { id: formId }))).toEqual([]);
    expect(await findFormById(db, formId)).toMatchObject({ post_action: 'message', is_published: true, alias: 'contactus' });
    const fields = [
      { label: 'Email', alias: 'email', type: 'email', is_required: true, mapped_object: 'contact', mapped_field: 'email', field_order: 1 },
      { label: 'Topic', alias: 'topic', type: 'select', properties: { list: { list: [{ label: 'Sales', value: 'sales' }] } }, field_order: 2 },
      { label: 'Intro', alias: 'intro', type: 'freetext', field_order: 3 },
      { label: 'Submit', alias: 'submit', type: 'button', field_order: 4 },
    ];
    for (const f of fields) await insertFormField(db, { form_id: formId, ...f });
    const stored = await listFormFields(db, formId);
    expect(stored.map((f) => f.alias)).toEqual(['email', 'topic', 'intro', 'submit']);
    expect(stored[1]?.properties).toEqual({ list: { list: [{ label: 'Sales', value: 'sales' }] } });
    expect(nullNotNullColumns(FORM_FIELDS, await rawRow(db, FORM_FIELDS, { id: stored[0]!.id }))).toEqual([]);

    expect(await createFormResultsTableFor(db, formId)).toEqual(['email', 'topic']);
    const lead = await insertLead(db, { email: 'f@example.com' });
    const subId = await insertFormSubmission(db, { form_id: formId, lead_id: lead, tracking_id: 'trk', referer: 'https://example.com/contact' });
    expect(nullNotNullColumns(FORM_SUBMISSIONS, await rawRow(db, FORM_SUBMISSIONS, { id: subId }))).toEqual([]);
    const form = { id: formId, alias: 'contactus' };
    await insertFormResult(db, form, subId, { email: 'f@example.com', topic: 'sales' });
    expect(await findFormResult(db, form, subId)).toEqual({ submission_id: subId, form_id: formId, email: 'f@example.com', topic: 'sales' });
    expect(await findFormSubmissionById(db, subId)).toMatchObject({ lead_id: lead, referer: 'https://example.com/contact' });
    expect((await listFormSubmissions(db, formId)).map((s) => s.id)).toEqual([subId]);
    await expect(insertFormResult(db, form, subId, { email: 'again' })).rejects.toMatchObject({ code: 'DB_DUPLICATE_KEY' });
  });

  it('adds missing columns to an existing results table and never drops any', async () => {
    const db = getDb();
    const form = { id: await insertForm(db, { name: 'Grow', alias: 'grow' }), alias: 'grow' };
    await createFormResultsTable(db, form, [{ alias: 'a', type: 'text' }]);
    expect(await createFormResultsTable(db, form, [{ alias: 'b', type: 'textarea' }, { alias: 'a', type: 'text' }])).toEqual(['b']);
    await insertFormResult(db, form, 1, { a: 'x', b: null });
    expect(await findFormResult(db, form, 1)).toEqual({ submission_id: 1, form_id: form.id, a: 'x', b: null });
  });

  it('honours the table prefix in the results table name', () => {
    const db = getDb();
    expect(formResultsTable(db, { id: 12, alias: 'newsletter' })).toBe(`${db.prefix}form_results_12_newsletter`);
  });

  it('refuses aliases that are not plain identifiers, and values that are not strings', async () => {
    const db = getDb();
    await expect(insertForm(db, { name: 'X', alias: 'x; DROP TABLE forms' })).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
    await expect(createFormResultsTable(db, { id: 1, alias: 'ok' }, [{ alias: 'bad-alias', type: 'text' }])).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
    await expect(insertFormResult(db, { id: 1, alias: 'ok' }, 1, { a: 5 as never })).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
    await expect(createFormResultsTableFor(db, 987654)).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
  });
});

forEachDialect(
  'forms repository with a table prefix',
  (getDb) => {
    it('creates the prefixed results table with the prefixed Doctrine index name', async () => {
      const db = getDb();
      const formId = await insertForm(db, { name: 'Contact us', alias: 'contactus' });
      await createFormResultsTable(db, { id: formId, alias: 'contactus' }, [{ alias: 'email', type: 'email' }]);
      const indexes =
        db.dialect === 'sqlite'
          ? await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", [`mt_form_results_${formId}_contactus`])
          : await db.query<{ name: string }>('SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [`mt_form_results_${formId}_contactus`]);
      expect(indexes.map((i) => i.name)).toContain(doctrineName('UNIQ', `mt_form_results_${formId}_contactus`, ['submission_id', 'form_id']));
    });
  },
  { prefix: 'mt_' },
);
