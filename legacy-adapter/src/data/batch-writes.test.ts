/**
 * The multi-row writes of the hit worker (insertRows, updateRowsById and the page-hit and
 * timeline helpers on them) write exactly the rows that the one-row functions write one
 * by one (docs/mautic/public-http.md §2.8: the worker's rows are the monolith's), on both
 * dialects and both UPDATE forms.
 */
import { forEachDialect } from '../../../test-support/databases.ts';
import { LEAD_EVENT_LOG, PAGE_HITS } from '../db/schema/index.ts';
import { insertLead, insertLeadEvent, insertLeadEvents } from './contacts.ts';
import { listExistingEmailIds, insertEmail } from './emails.ts';
import { insertPageHit, lockIncompleteHits, updatePageHit, updatePageHits } from './pages.ts';
import { updateRowsById } from './table-access.ts';
import { rawRow } from './test-fixtures/row-checks.ts';

const completion = (leadId: number, i: number) => ({
  lead_id: leadId, url: `https://shop.test/${i}`, url_title: i % 2 ? `Page ${i}` : null, referer: null,
  browser_languages: ['en-GB', 'en'], query: { page_url: `https://shop.test/${i}`, n: [i, 'ä'] }, source: 'email', source_id: i,
});

forEachDialect('multi-row writes', (getDb) => {
  it('updatePageHits writes the rows updatePageHit writes one by one; the later of two values for one id wins', async () => {
    const db = getDb();
    const lead = await insertLead(db, {});
    const one: number[] = [];
    const many: number[] = [];
    for (let i = 0; i < 4; i += 1) one.push(await insertPageHit(db, { tracking_id: 't', date_hit: '2026-01-01 00:00:00' }));
    for (let i = 0; i < 4; i += 1) many.push(await insertPageHit(db, { tracking_id: 't', date_hit: '2026-01-01 00:00:00' }));
    for (let i = 0; i < 4; i += 1) await updatePageHit(db, one[i]!, completion(lead, i));
    await updatePageHit(db, one[0]!, { date_left: '2026-01-01 00:00:09' });
    expect(await lockIncompleteHits(db, many)).toEqual(new Set(many));
    await updatePageHits(db, many.map((id, i) => ({ id, values: completion(lead, i) })));
    await updatePageHits(db, [{ id: many[0]!, values: { date_left: '2026-01-01 00:00:05' } }, { id: many[0]!, values: { date_left: '2026-01-01 00:00:09' } }]);
    for (let i = 0; i < 4; i += 1) {
      const { id: _a, ...expected } = await rawRow(db, PAGE_HITS, { id: one[i]! });
      const { id: _b, ...actual } = await rawRow(db, PAGE_HITS, { id: many[i]! });
      expect(actual).toEqual(expected);
    }
    expect(await lockIncompleteHits(db, [...one, ...many])).toEqual(new Set());
  });

  it('updateRowsById sets a column only on the rows that give it (the CASE form)', async () => {
    const db = getDb();
    const a = await insertPageHit(db, { tracking_id: 'a', url: 'https://a.test/' });
    const b = await insertPageHit(db, { tracking_id: 'b', url: 'https://b.test/' });
    await updateRowsById(db, PAGE_HITS, [{ id: a, values: { url_title: 'A' } }, { id: b, values: { url: 'https://b2.test/' } }]);
    expect(await rawRow(db, PAGE_HITS, { id: a })).toMatchObject({ url: 'https://a.test/', url_title: 'A' });
    expect(await rawRow(db, PAGE_HITS, { id: b })).toMatchObject({ url: 'https://b2.test/', url_title: null });
  });

  it('insertLeadEvents writes the rows insertLeadEvent writes, in order', async () => {
    const db = getDb();
    const lead = await insertLead(db, {});
    const event = (i: number) => ({ lead_id: lead, bundle: 'page', object: 'hit', action: 'created_contact', object_id: i, date_added: '2026-01-01 00:00:00', properties: { object_description: `https://shop.test/${i}` } });
    const single = await insertLeadEvent(db, event(1));
    await insertLeadEvents(db, [event(1), event(2)]);
    const { id: firstId, ...expected } = await rawRow(db, LEAD_EVENT_LOG, { id: single });
    const { id: batchId, ...actual } = await rawRow(db, LEAD_EVENT_LOG, { id: single + 1 });
    expect(actual).toEqual(expected);
    expect(await rawRow(db, LEAD_EVENT_LOG, { id: single + 2 })).toMatchObject({ object_id: 2 });
    expect([firstId, batchId]).toEqual([single, single + 1]);
  });

  it('insertRows refuses rows with different columns', async () => {
    const db = getDb();
    const lead = await insertLead(db, {});
    await expect(insertLeadEvents(db, [{ lead_id: lead, bundle: 'page', object: 'hit', action: 'x' }, { lead_id: lead, bundle: 'page', object: 'hit', action: 'x', object_id: 3 }]))
      .rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
  });

  it('listExistingEmailIds names the emails that exist', async () => {
    const db = getDb();
    const id = await insertEmail(db, { name: 'Welcome' });
    expect(await listExistingEmailIds(db, [id, id + 100])).toEqual(new Set([id]));
    expect(await listExistingEmailIds(db, [])).toEqual(new Set());
  });
});
