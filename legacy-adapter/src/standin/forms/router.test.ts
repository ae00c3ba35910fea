import express from 'express';
import request from 'supertest';
import { forEachDialect } from '../../../../test-support/databases.ts';
import type { Db } from '../../db/types.ts';
import type { Mailer } from '../../mail/types.ts';
import { standinConfig, type StandinDeps } from '../deps.ts';
import { standinErrorHandler } from '../error-handler.ts';
import { seedForms, SITE_URL, type FormsSeed } from './forms.fixtures.ts';
import { formsRouter } from './router.ts';

const NO_MAIL: Mailer = {
  send: () => Promise.reject(new Error('forms send no email')),
  close: () => Promise.resolve(),
};

function buildApp(deps: StandinDeps): express.Express {
  const app = express();
  app.use(formsRouter(deps));
  app.use(standinErrorHandler());
  return app;
}

/** `mauticform[...]` form-urlencoded body. */
function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(`mauticform[${key}]${Array.isArray(value) ? '[]' : ''}`, v);
  }
  return params.toString();
}

/** The Set-Cookie names of a response. */
const cookieNames = (res: request.Response) => ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).map((c) => c.split('=')[0]);
const cookieValue = (res: request.Response, name: string) =>
  ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith(`${name}=`))?.split(';')[0]?.split('=')[1];

/** The JSON a messenger page posts to its parent (§4.2 messenger mode). */
function postedJson(html: string): unknown {
  const literal = /parent\.postMessage\("((?:[^"\\]|\\.)*)", '\*'\)/.exec(html)?.[1];
  if (literal === undefined) throw new Error(`no postMessage in ${html}`);
  return JSON.parse(JSON.parse(`"${literal}"`));
}

forEachDialect('forms endpoints (docs/mautic/public-http.md §4)', (getDb) => {
  let db: Db;
  let seed: FormsSeed;
  let app: express.Express;

  beforeAll(async () => {
    db = getDb();
    seed = await seedForms(db);
    app = buildApp({ db, config: standinConfig({ siteUrl: SITE_URL }), mailer: NO_MAIL });
  });

  const count = async (table: string) => Number((await db.query(`SELECT COUNT(*) AS n FROM ${db.table(table)}`))[0]!.n);

  describe('POST /form/submit, classic mode (§4.2)', () => {
    it('saves the submission, results, contact and event, sets cookies, and shows the flash on /form/message', async () => {
      const res = await request(app)
        .post('/form/submit?formId=abc')
        .type('form')
        .set('Referer', 'https://www.example.org/contact#top')
        .send(formBody({ formId: String(seed.contact), email: 'ann@example.org', first_name: "Ann O'Neil", interests: ['a', 'b'], country: 'FR', src: 'ad', website: '' }));
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/form/message');
      expect(res.text).toContain('Redirecting to /form/message');
      expect(cookieNames(res)).toEqual(expect.arrayContaining(['mautic_device_id', 'mtc_id']));
      expect(cookieNames(res)).toHaveLength(3); // plus the session cookie of the flash

      const [submission] = await db.query(`SELECT * FROM ${db.table('form_submissions')} WHERE form_id = ?`, [seed.contact]);
      expect(submission).toMatchObject({ referer: 'https://www.example.org/contact', tracking_id: cookieValue(res, 'mautic_device_id'), page_id: null });
      expect(Number(submission!.lead_id)).toBe(Number(cookieValue(res, 'mtc_id')));
      expect(submission!.ip_id).not.toBeNull();
      const [results] = await db.query(`SELECT * FROM ${db.table(`form_results_${seed.contact}_contactus`)} WHERE submission_id = ?`, [submission!.id as number]);
      expect(results).toEqual({
        submission_id: submission!.id, form_id: seed.contact, email: 'ann@example.org', first_name: 'Ann O&#39;Neil', interests: 'a, b',
        country: 'FR', website: '', src: 'ad',
      });
      const [lead] = await db.query(`SELECT email, firstname, date_identified FROM ${db.table('leads')} WHERE id = ?`, [submission!.lead_id as number]);
      expect(lead).toMatchObject({ email: 'ann@example.org', firstname: 'Ann O&#39;Neil', date_identified: expect.any(String) });
      const events = await db.query(`SELECT bundle, object, object_id, action FROM ${db.table('lead_event_log')} WHERE lead_id = ?`, [submission!.lead_id as number]);
      expect(events).toEqual([{ bundle: 'form', object: 'submission', object_id: seed.contact, action: 'created_contact' }]);
      expect(await db.query(`SELECT ip_id FROM ${db.table('lead_ips_xref')} WHERE lead_id = ?`, [submission!.lead_id as number])).toEqual([{ ip_id: submission!.ip_id }]);

      const session = ((res.headers['set-cookie'] as unknown as string[]).find((c) => !/^(mautic_device_id|mtc_id)=/.test(c)) ?? '').split(';')[0]!;
      const page = await request(app).get('/form/message').set('Cookie', session);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=UTF-8');
      expect(page.text).toContain('Thanks for contacting us!');
      expect((await request(app).get('/form/message').set('Cookie', session)).text).toContain('Thanks for contacting us!'); // reload keeps it (§4.4)
    });

    it('identifies the existing contact with the same email instead of creating one', async () => {
      const leadsBefore = await count('leads');
      const res = await request(app).post('/form/submit').type('form').send(formBody({ formId: String(seed.contact), email: 'ann@example.org' }));
      expect(res.status).toBe(302);
      expect(await count('leads')).toBe(leadsBefore);
      const [first, second] = await db.query(`SELECT lead_id FROM ${db.table('form_submissions')} WHERE form_id = ? ORDER BY id`, [seed.contact]);
      expect(second!.lead_id).toBe(first!.lead_id);
    });

    it('redirects errors to the return URL with mauticError and the form alias fragment', async () => {
      const res = await request(app).post('/form/submit').type('form').send(
        formBody({ formId: String(seed.contact), email: 'nope', return: 'https://www.example.org/p?x=1&mauticError=old#f' }),
      );
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(
        'https://www.example.org/p?x=1&mauticError=Errors%3A%3Cbr%20%2F%3E%3Col%3E%3Cli%3EThe%20email%20is%20invalid.%3C%2Fli%3E%3C%2Fol%3E#contactus',
      );
    });

    it('flashes errors to /form/message when there is no return URL', async () => {
      const submissions = await count('form_submissions');
      const res = await request(app).post('/form/submit').type('form').send(formBody({ formId: String(seed.contact) }));
      expect(res.headers.location).toBe('/form/message');
      const page = await request(app).get('/form/message').set('Cookie', (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!);
      expect(page.text).toContain("Errors:<br /><ol><li>'Email' is required.</li></ol>");
      expect(page.text).toContain('mautic-message-error');
      expect(await count('form_submissions')).toBe(submissions);
    });

    it('redirects a postAction=redirect form with {formfield} and {contactfield} replaced', async () => {
      const res = await request(app).post('/form/submit').type('form').send(formBody({ formId: String(seed.redirect), email: 'red@example.org' }));
      const [lead] = await db.query(`SELECT id FROM ${db.table('leads')} WHERE email = 'red@example.org'`);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`https://shop.test/thanks?email=red@example.org&lead=${lead!.id}`);
    });

    it('returns a postAction=return form to the return URL with mauticMessage', async () => {
      const res = await request(app).post('/form/submit').type('form').set('Referer', 'https://www.example.org/landing?mauticMessage=old')
        .send(formBody({ formId: String(seed.giveBack), email: 'back@example.org' }));
      expect(res.headers.location).toBe('https://www.example.org/landing?mauticMessage=Welcome%20back');
    });

    it('answers any method but POST with 403 (HTML, or JSON for Accept: application/json)', async () => {
      const html = await request(app).get('/form/submit');
      expect(html.status).toBe(403);
      expect(html.text).toContain('Unauthorized access to requested URL: /form/submit');
      const json = await request(app).get('/form/submit').set('Accept', 'application/json');
      expect(json.status).toBe(403);
      expect(json.headers['content-type']).toBe('application/json'); // docs/mautic/public-http.md §2.7
      expect(json.body).toEqual({ errors: [{ message: 'Unauthorized access to requested URL: /form/submit', code: 403, type: null }] });
    });

    it('treats a body over 8 MiB as an empty POST, as PHP does, and answers without a 500 or a hang', async () => {
      const res = await request(app).post('/form/submit').type('form').send(formBody({ formId: String(seed.contact), email: 'x'.repeat(9 * 1024 * 1024) }));
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/form/message');
      const page = await request(app).get('/form/message').set('Cookie', (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!);
      expect(page.text).toContain('This form is no longer available.');
    });
  });

  describe('AJAX and messenger modes (§4.2, §4.3)', () => {
    const ajax = (body: string) => request(app).post('/form/submit?ajax=1').type('form').send(body);

    it('answers a multipart submission in AJAX mode with the results and success message', async () => {
      const res = await request(app)
        .post('/form/submit?ajax=1')
        .field('mauticform[formId]', String(seed.contact))
        .field('mauticform[formName]', 'contactus')
        .field('mauticform[email]', 'multi@example.org')
        .field('mauticform[interests][]', 'b');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json'); // docs/mautic/public-http.md §2.7
      expect(res.body).toEqual({
        success: 1, successMessage: 'Thanks for contacting us!', formName: 'contactus',
        results: { email: 'multi@example.org', first_name: '', interests: 'b', country: '', website: '', src: '' },
      });
    });

    it.each([
      ['a missing formId', {}, 'This form is no longer available.'],
      ['an unknown form', { formId: '999999' }, 'This form is no longer available.'],
      ['a non-numeric formId', { formId: 'abc' }, 'This form is no longer available.'],
      ['an unpublished form', { formId: 'unpublished' }, 'This form is no longer available.'],
      ['a form that opens later', { formId: 'pending' }, 'This form start accepting submissions on January 1, 2999 9:30 am UTC.'],
      ['an expired form', { formId: 'expired' }, 'This form stopped accepting submissions on February 3, 2001 4:05 pm UTC.'],
    ])('refuses %s with errorMessage', async (_name, fields: { formId?: string }, message) => {
      const formId = fields.formId && fields.formId in seed ? String(seed[fields.formId as keyof FormsSeed]) : fields.formId;
      const res = await ajax(formBody({ ...(formId !== undefined ? { formId } : {}), email: 'a@b.co' }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: 0, errorMessage: message });
    });

    it('reports every failing field keyed by alias and saves nothing', async () => {
      const before = await count('form_submissions');
      const res = await ajax(formBody({ formId: String(seed.contact), formName: 'contactus', email: 'bad@', website: 'not a url', hp: 'i am a bot' }));
      expect(res.body).toEqual({
        success: 0, formName: 'contactus',
        validationErrors: { email: 'The email is invalid.', website: 'The URL is invalid.', hp: 'The answer to &quot;Leave empty&quot; is incorrect. Please try again.' },
      });
      expect(await count('form_submissions')).toBe(before);
    });

    it('wraps /form/submit/ajax answers with a boolean success, message and type', async () => {
      const res = await request(app).post('/form/submit/ajax?formId=1').type('form').send(formBody({ email: 'x@y.zz' }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: false, errorMessage: 'This form is no longer available.', message: 'This form is no longer available.', type: 'error' });
    });

    it('posts the same JSON to the parent window in messenger mode', async () => {
      const res = await request(app).post('/form/submit').type('form').send(formBody({ formId: String(seed.contact), messenger: '1', formName: 'contactus', email: 'nope' }));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
      expect(postedJson(res.text)).toEqual({ success: 0, validationErrors: { email: 'The email is invalid.' }, formName: 'contactus' });
    });

    it('keeps an over-long answer in the results and cuts it to the contact column length', async () => {
      const long = 'L'.repeat(5000);
      const res = await ajax(formBody({ formId: String(seed.contact), email: 'long@example.org', first_name: long }));
      expect(res.body.success).toBe(1);
      const [lead] = await db.query(`SELECT firstname FROM ${db.table('leads')} WHERE email = 'long@example.org'`);
      expect(lead!.firstname).toBe('L'.repeat(191));
      const [row] = await db.query(`SELECT first_name FROM ${db.table(`form_results_${seed.contact}_contactus`)} WHERE email = 'long@example.org'`);
      expect(row!.first_name).toBe(long);
    });

    it('treats a malformed multipart body as an empty POST', async () => {
      const res = await request(app).post('/form/submit?ajax=1').set('Content-Type', 'multipart/form-data; boundary=zzz').send('--zzz\r\ngarbage');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: 0, errorMessage: 'This form is no longer available.' });
    });
  });

  describe('read-only form endpoints (§4.4)', () => {
    it('renders /form/{id} with the form markup, 404 for unpublished or bad ids', async () => {
      const res = await request(app).get(`/form/${seed.contact}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`action="${SITE_URL}/form/submit?formId=${seed.contact}" id="mauticform_contactus" data-mautic-form="contactus"`);
      expect(res.text).toContain('<meta name="robots" content="index" />');
      expect(res.text).toContain('id="mauticform_contactus_hp" class="mauticform-row mauticform-captcha" style="display:none;"');
      for (const url of [`/form/${seed.unpublished}`, '/form/abc', '/form/99999999999']) {
        const missing = await request(app).get(url);
        expect(missing.status).toBe(404);
        expect(missing.text).toContain(`Requested URL not found: ${url}`);
      }
    });

    it('serves /form/embed/{id}, and 404 with an empty body when unpublished', async () => {
      const res = await request(app).get(`/form/embed/${seed.contact}`);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/^<div id="mauticform_wrapper_contactus"/);
      const missing = await request(app).get(`/form/embed/${seed.unpublished}`);
      expect(missing.status).toBe(404);
      expect(missing.text).toBe('');
    });

    it('serves /form/generate.js as text/javascript, empty for unknown forms, 302 for focus ids', async () => {
      const res = await request(app).get(`/form/generate.js?id=${seed.contact}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=UTF-8');
      expect(res.text).toContain('id=\\"mauticform_contactus\\"');
      expect(res.text).toContain('MauticSDKLoaded');
      expect(res.text).toContain("submittingMessage: 'Please wait...'");
      expect(res.headers['set-cookie']).toBeUndefined(); // non-trackable
      const empty = await request(app).get(`/form/generate.js?id=${seed.unpublished}`);
      expect([empty.status, empty.text]).toEqual([200, '']);
      const focus = await request(app).get('/form/generate.js?id=mf-3');
      expect(focus.status).toBe(302);
      expect(focus.headers.location).toBe(`${SITE_URL}/focus/3.js`);
    });
  });
}, { realMautic: ['', 'mt_'] });
