import type express from 'express';
import request from 'supertest';
import { forEachDialect } from '../../../../test-support/databases.ts';
import { decodeClickthrough } from '../../codecs/ct.ts';
import { seed, SEED_API_USER, SEED_OAUTH2, type SeedResult } from '../../seed/seed.ts';
import type { Db } from '../../db/types.ts';
import type { Mailer, OutgoingEmail } from '../../mail/types.ts';
import { buildStandinApp } from '../app.ts';
import { standinConfig, type StandinDeps } from '../deps.ts';

/**
 * The forms and sending routers inside the whole stand-in app, over the
 * `npm run seed` data set (what `npm start` serves): checks that the routers
 * work with the app's middleware order and with realistic rows.
 */

const SITE = 'https://mautic.example.com';

forEachDialect('forms and sending in the seeded stand-in (docs/mautic/public-http.md §4, §5)', (getDb) => {
  let db: Db;
  let seeded: SeedResult;
  let app: express.Express;
  const sent: OutgoingEmail[] = [];
  const mailer: Mailer = { send: async (m) => (sent.push(m), { messageId: `<${sent.length}@test>` }), close: async () => {} };

  beforeAll(async () => {
    db = getDb();
    seeded = await seed(db, { bcryptCost: 4 });
    const deps: StandinDeps = { db, config: standinConfig({ siteUrl: SITE }), mailer };
    app = buildStandinApp(deps);
  });

  const basic = `Basic ${Buffer.from(`${SEED_API_USER.username}:${SEED_API_USER.password}`).toString('base64')}`;

  it('sends the seeded newsletter to its segment with tracked seeded links (§5.2, §5.5)', async () => {
    const res = await request(app).post(`/api/emails/${seeded.emailIds.newsletter}/send`).set('Authorization', basic);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: 1, sentCount: 5, failedRecipients: 0 });
    expect(sent).toHaveLength(5);
    const first = sent[0]!;
    const link = seeded.redirects.find((r) => r.emailId === seeded.emailIds.newsletter)!;
    const match = new RegExp(`href="${SITE}/r/${link.redirectId}\\?ct=([A-Za-z0-9%]+)"`).exec(first.html);
    expect(match).not.toBeNull();
    expect(decodeClickthrough(match![1]!)).toMatchObject({ source: ['email', seeded.emailIds.newsletter], channel: { email: seeded.emailIds.newsletter } });
    expect(first.headers['List-Unsubscribe']).toMatch(new RegExp(`^<${SITE}/email/unsubscribe/`));
    expect(first.html).toMatch(/^<!DOCTYPE html><html><body><p>Hello (Ana|Bruno|Chloé|Dmitri|Emma),/);
  });

  it('sends the seeded welcome email to one contact with the seeded bearer token (§5.3)', async () => {
    const res = await request(app)
      .post(`/api/emails/${seeded.emailIds.welcome}/contact/${seeded.leadIds[5]}/send`)
      .set('Authorization', `Bearer ${SEED_OAUTH2.accessToken}`)
      .send({ tokens: { coupon: 'SPRING' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });
    expect(sent.at(-1)!.subject).toBe('Welcome, Farid!');
  });

  it('records a reply to the seeded stat (§5.4)', async () => {
    const res = await request(app).post(`/api/emails/reply/${seeded.stat.trackingHash}`).set('Authorization', basic);
    expect([res.status, res.body]).toEqual([201, { success: true }]);
  });

  it('leaves other /api routes to the catch-all: 401 without credentials', async () => {
    const res = await request(app).get('/api/contacts');
    expect(res.status).toBe(401);
  });

  it('takes a submission of the seeded "Contact us" form and shows its message (§4.2)', async () => {
    const body = new URLSearchParams({
      'mauticform[formId]': String(seeded.forms.contactUs.id), 'mauticform[email]': 'new.visitor@example.net', 'mauticform[firstname]': 'Nia',
      'mauticform[topic]': 'sales', 'mauticform[interests][]': 'events', 'mauticform[f_message]': 'Hello <b>there</b>', 'mauticform[source]': 'website',
    });
    const res = await request(app).post('/form/submit?ajax=1').type('form').send(body.toString());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: 1, successMessage: 'Thanks, we will get back to you.',
      results: { email: 'new.visitor@example.net', firstname: 'Nia', topic: 'sales', interests: 'events', f_message: 'Hello there', source: 'website' },
    });
    const [lead] = await db.query(`SELECT firstname FROM ${db.table('leads')} WHERE email = 'new.visitor@example.net'`);
    expect(lead).toEqual({ firstname: 'Nia' });
  });

  it('redirects the seeded "Newsletter" form and uses its custom required message (§4.2)', async () => {
    const ok = await request(app).post('/form/submit').type('form').send(`mauticform[formId]=${seeded.forms.newsletter.id}&mauticform[email_address]=nl@example.net`);
    expect([ok.status, ok.headers.location]).toEqual([302, 'https://example.com/thanks']);
    const missing = await request(app).post('/form/submit?ajax=1').type('form').send(`mauticform[formId]=${seeded.forms.contactUs.id}`);
    expect(missing.body.validationErrors).toEqual({ email: 'Please enter a valid email address.' });
  });
}, { realMautic: true });
