import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { forEachDialect } from '../../../../test-support/databases.ts';
import { decodeClickthrough } from '../../codecs/ct.ts';
import { unserializePhp } from '../../codecs/php-serialize.ts';
import type { Db } from '../../db/types.ts';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createOutboxMailer, type OutboxMailer } from '../../mail/outbox-mailer.ts';
import { createSmtpMailer } from '../../mail/smtp-mailer.ts';
import { readEml, type ReadEmail } from '../../mail/read-eml.ts';
import { apiGate } from '../api-gate.ts';
import { standinConfig, type StandinConfig, type StandinDeps } from '../deps.ts';
import { standinErrorHandler } from '../error-handler.ts';
import { sendingRouter } from './router.ts';
import { ADMIN, LIMITED, seedSending, SITE_URL, TOKENS, type SendingSeed } from './sending.fixtures.ts';

const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
const frameworkError = (status: number, message: string, type: string | null) => ({ errors: [{ message, code: status, type }] });
const controllerError = (status: number, message: string) => ({ errors: [{ code: status, message, details: [], type: null }] });

/** The stand-in's order: API gate, routers, one error handler. */
function buildApp(deps: StandinDeps): express.Express {
  const app = express();
  app.use(apiGate(deps.config));
  app.use(sendingRouter(deps));
  app.use(standinErrorHandler());
  return app;
}

forEachDialect('sending API (docs/mautic/public-http.md §5)', (getDb) => {
  let db: Db;
  let seed: SendingSeed;
  let outboxDir: string;
  let mailer: OutboxMailer;
  let app: express.Express;
  const config = standinConfig({ siteUrl: SITE_URL });
  const withConfig = (over: Partial<StandinConfig>) => buildApp({ db, config: standinConfig({ siteUrl: SITE_URL, ...over }), mailer });

  beforeAll(async () => {
    db = getDb();
    seed = await seedSending(db, new Date());
    outboxDir = await mkdtemp(path.join(os.tmpdir(), 'sending-outbox-'));
    mailer = createOutboxMailer({ dir: outboxDir });
    app = buildApp({ db, config, mailer });
  });
  afterAll(async () => {
    await mailer.close();
    await rm(outboxDir, { recursive: true, force: true });
  });

  /** Messages written since `before` files existed, parsed, in write order. */
  async function newMessages(before: number): Promise<ReadEmail[]> {
    const files = (await readdir(outboxDir)).sort().slice(before);
    return Promise.all(files.map(async (f) => readEml(await readFile(path.join(outboxDir, f), 'utf8'))));
  }
  const outboxCount = async () => (await readdir(outboxDir)).length;

  describe('authentication (§5.1)', () => {
    const url = () => `/api/emails/${seed.templateEmail}/send`;

    it.each([
      ['no credentials', {}, 401, frameworkError(401, 'API authorization denied.', 'access_denied')],
      ['a wrong password', { Authorization: basic({ ...ADMIN, password: 'nope' }) }, 401, frameworkError(401, 'Authorization denied, invalid credentials.', 'access_denied')],
      ['an unknown user', { Authorization: basic({ username: 'ghost', password: 'x' }) }, 401, frameworkError(401, 'Authorization denied, invalid credentials.', 'access_denied')],
      ['an expired token', { Authorization: `Bearer ${TOKENS.expired}` }, 401, frameworkError(401, 'The access token provided has expired.', 'invalid_grant')],
      ['an unknown token', { Authorization: 'Bearer nope' }, 401, frameworkError(401, 'The access token provided is invalid.', 'invalid_grant')],
    ])('%s → %i JSON', async (_name, headers, status, body) => {
      const res = await request(app).post(url()).set(headers);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/json'); // docs/mautic/public-http.md §2.7
      expect(res.body).toEqual(body);
    });

    it.each([
      ['good Basic', { Authorization: basic(ADMIN) }],
      ['a good Bearer token', { Authorization: `Bearer ${TOKENS.valid}` }],
      ['an access_token parameter', {}],
      ['a client-credentials token (client role)', { Authorization: `Bearer ${TOKENS.client}` }],
    ])('%s → 200; a template email sends nothing (§5.2)', async (name, headers) => {
      const suffix = name === 'an access_token parameter' ? `?access_token=${TOKENS.valid}` : '';
      const res = await request(app).post(`${url()}${suffix}`).set(headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: 1, sentCount: 0, failedRecipients: 0 });
    });

    it('answers 403 api_disabled when the API is off', async () => {
      const res = await request(withConfig({ apiEnabled: false })).post(url()).set('Authorization', basic(ADMIN));
      expect(res.status).toBe(403);
      expect(res.body).toEqual(frameworkError(403, "API disabled. You need to enable the API in the API settings of Mautic's Configuration.", 'api_disabled'));
    });

    it('refuses Basic with 403 when Basic auth is off, but accepts a Bearer token', async () => {
      const off = withConfig({ apiEnableBasicAuth: false });
      const res = await request(off).post(url()).set('Authorization', basic(ADMIN));
      expect(res.status).toBe(403);
      expect(res.body).toEqual(
        frameworkError(403, "Basic Auth disabled. You need to enable HTTP basic auth in the API settings of Mautic's Configuration.", 'access_denied'),
      );
      expect((await request(off).post(url()).set('Authorization', `Bearer ${TOKENS.valid}`)).status).toBe(200);
    });

    it('answers 403 (controller shape) when the role may view emails but not edit the contact (§5.3 step 4)', async () => {
      const res = await request(app).post(`/api/emails/${seed.templateEmail}/contact/${seed.members.ann}/send`).set('Authorization', basic(LIMITED));
      expect(res.status).toBe(403);
      expect(res.body).toEqual(controllerError(403, 'You do not have access to the requested area/action.'));
    });
  });

  describe('bad input (§5.1–5.4)', () => {
    const auth = () => ({ Authorization: basic(ADMIN) });

    it.each([
      ['an unknown email', () => '/api/emails/99999/send', controllerError(404, 'Item was not found.')],
      ['a non-numeric id', () => '/api/emails/abc/send', controllerError(404, 'Item was not found.')],
      ['an unpublished segment email', () => `/api/emails/${seed.unpublishedEmail}/send`, controllerError(404, 'Item was not found.')],
      ['an unknown contact', () => `/api/emails/${seed.templateEmail}/contact/99999/send`, controllerError(404, 'Contact not found.')],
      ['an unknown email for a contact send', () => `/api/emails/99999/contact/${seed.members.ann}/send`, controllerError(404, 'Item was not found.')],
      ['an unknown reply hash', () => '/api/emails/reply/nohash123', controllerError(404, 'Email Stat with tracking hash nohash123 was not found')],
    ])('%s → 404 %j', async (_name, url, body) => {
      const res = await request(app).post(url()).set(auth());
      expect(res.status).toBe(404);
      expect(res.body).toEqual(body);
    });

    it('answers malformed JSON with 400 before authentication (body listener, priority 10)', async () => {
      const res = await request(app).post(`/api/emails/${seed.listEmail}/send`).set('Content-Type', 'application/json').send('{"limit":');
      expect(res.status).toBe(400);
      expect(res.body).toEqual(frameworkError(400, 'This is a bad request.', null));
    });

    it('answers a body over 8 MiB with 413 and reads no further', async () => {
      const huge = JSON.stringify({ tokens: { x: 'y'.repeat(8 * 1024 * 1024 + 10) } });
      const res = await request(app).post(`/api/emails/${seed.templateEmail}/contact/${seed.members.ann}/send`).set(auth()).set('Content-Type', 'application/json').send(huge);
      expect(res.status).toBe(413);
      expect(res.body.errors[0]).toMatchObject({ code: 413, type: null });
    });

    it.each([
      ['tokens that are not an object', () => `/api/emails/${seed.templateEmail}/contact/${seed.members.ann}/send`, { tokens: 'x' }],
      ['lists that are not ids', () => `/api/emails/${seed.listEmail}/send`, { lists: ['a'] }],
      ['a negative limit', () => `/api/emails/${seed.listEmail}/send`, { limit: -1 }],
    ])('answers %s with 400 "This is a bad request." and sends nothing', async (_name, url, body) => {
      const before = await outboxCount();
      const res = await request(app).post(url()).set(auth()).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(controllerError(400, 'This is a bad request.'));
      expect(await outboxCount()).toBe(before);
    });

    it('answers another method on a send path with 405', async () => {
      const res = await request(app).get(`/api/emails/${seed.listEmail}/send`).set(auth());
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.body.errors[0]).toMatchObject({ code: 405, type: null });
    });
  });

  describe('POST /api/emails/{id}/send (§5.2, §5.5–5.7)', () => {
    it('sends to pending segment members, skipping DNC, and writes stats, copy, trackables and counters', async () => {
      const before = await outboxCount();
      const res = await request(app).post(`/api/emails/${seed.listEmail}/send`).set('Authorization', basic(ADMIN));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json'); // docs/mautic/public-http.md §2.7
      expect(res.body).toEqual({ success: 1, sentCount: 2, failedRecipients: 0 });

      const stats = await db.query(`SELECT * FROM ${db.table('email_stats')} WHERE email_id = ? ORDER BY lead_id`, [seed.listEmail]);
      expect(stats.map((s) => Number(s.lead_id))).toEqual([seed.members.ann, seed.members.bob]);
      for (const stat of stats) {
        expect(stat).toMatchObject({ email_address: expect.stringMatching(/@example\.org$/), source: 'email', is_read: 0, is_failed: 0, viewed_in_browser: 0 });
        expect(Number(stat.list_id)).toBe(seed.segment);
        expect(Number(stat.source_id)).toBe(seed.listEmail);
        expect(String(stat.tracking_hash)).toMatch(/^[0-9a-f]{13}[0-9]{9}$/); // §5.6
        const tokens = unserializePhp(String(stat.tokens)) as Record<string, string>;
        expect(tokens['{tracking_pixel}']).toBe(`${SITE_URL}/email/${stat.tracking_hash}.gif`);
      }
      const [copy] = await db.query(`SELECT * FROM ${db.table('email_copies')} WHERE id = ?`, [stats[0]!.copy_id as string]);
      expect(String(copy!.body)).toContain('href="{trackable=');
      expect(String(copy!.subject)).toBe('Hello {contactfield=firstname|friend} — Spring list');
      const [row] = await db.query(`SELECT sent_count FROM ${db.table('emails')} WHERE id = ?`, [seed.listEmail]);
      expect(Number(row!.sent_count)).toBe(2);
      const redirects = await db.query(`SELECT id, redirect_id, url FROM ${db.table('page_redirects')}`);
      expect(redirects.map((r) => r.url)).toEqual(['https://shop.test/offer?a=1&amp;b=2']);
      const trackables = await db.query(`SELECT channel, channel_id, redirect_id FROM ${db.table('channel_url_trackables')} WHERE channel_id = ?`, [seed.listEmail]);
      expect(trackables).toEqual([{ channel: 'email', channel_id: seed.listEmail, redirect_id: redirects[0]!.id }]);

      const messages = await newMessages(before);
      expect(messages).toHaveLength(2);
      const ann = messages.find((m) => m.header('to')?.includes('ann@example.org'))!;
      const annStat = stats[0]!;
      expect(ann.header('subject')).toBe('Hello Ann — Spring list');
      expect(ann.header('from')).toBe('Example News <news@example.com>');
      expect(ann.header('reply-to')).toBe('reply@example.com');
      expect(ann.header('precedence')).toBe('Bulk');
      expect(ann.header('x-email-id')).toBe(String(seed.listEmail));
      expect(ann.header('x-campaign')).toBe('spring');
      expect(ann.header('list-unsubscribe')).toMatch(
        new RegExp(`^<${SITE_URL}/email/unsubscribe/${annStat.tracking_hash}/ann@example\\.org/[0-9a-f]{64}>$`),
      );
      expect(ann.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(ann.html).toContain(`<img height="1" width="1" src="${SITE_URL}/email/${annStat.tracking_hash}.gif" alt="" /></body>`);
      expect(ann.html).toContain(`href="${SITE_URL}/email/unsubscribe/${annStat.tracking_hash}/`);
      const link = new RegExp(`href="${SITE_URL}/r/${redirects[0]!.redirect_id}\\?ct=([A-Za-z0-9%]+)&utm_source=newsletter&utm_campaign=spring"`).exec(ann.html);
      expect(link).not.toBeNull();
      expect(decodeClickthrough(link![1]!)).toEqual({ // §2.5
        source: ['email', seed.listEmail], email: seed.listEmail, stat: annStat.tracking_hash, lead: String(seed.members.ann), channel: { email: seed.listEmail },
      });
      expect(ann.text).toMatch(new RegExp(`^Offer: ${SITE_URL}/r/${redirects[0]!.redirect_id}\\?ct=`));
      const bob = messages.find((m) => m.header('to')?.includes('bob@example.org'))!;
      expect(bob.header('subject')).toBe('Hello friend — Spring list');
    });

    it('never sends the same email twice to a contact', async () => {
      const res = await request(app).post(`/api/emails/${seed.listEmail}/send`).set('Authorization', basic(ADMIN));
      expect(res.body).toEqual({ success: 1, sentCount: 0, failedRecipients: 0 });
    });

    it('honours limit and counts sent_count per batch', async () => {
      const first = await request(app).post(`/api/emails/${seed.limitEmail}/send`).set('Authorization', basic(ADMIN)).send({ limit: 1, batch: 1 });
      expect(first.body).toEqual({ success: 1, sentCount: 1, failedRecipients: 0 });
      const second = await request(app).post(`/api/emails/${seed.limitEmail}/send`).type('form').set('Authorization', basic(ADMIN)).send('limit=5');
      expect(second.body).toEqual({ success: 1, sentCount: 1, failedRecipients: 0 });
      const [row] = await db.query(`SELECT sent_count FROM ${db.table('emails')} WHERE id = ?`, [seed.limitEmail]);
      expect(Number(row!.sent_count)).toBe(2);
    });
  });

  describe('POST /api/emails/{id}/contact/{contactId}/send (§5.3)', () => {
    it('sends transactionally: DNC ignored, no List-Unsubscribe, tokens keep HTML, source api/0', async () => {
      const before = await outboxCount();
      const res = await request(app)
        .post(`/api/emails/${seed.templateEmail}/contact/${seed.members.dnc}/send`)
        .set('Authorization', `Bearer ${TOKENS.valid}`)
        .send({ tokens: { promo: 'custom <b>value</b>' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
      const [message] = await newMessages(before);
      expect(message!.header('list-unsubscribe')).toBeUndefined();
      expect(message!.header('precedence')).toBeUndefined();
      expect(message!.html).toContain('custom <b>value</b>');
      const [stat] = await db.query(`SELECT * FROM ${db.table('email_stats')} WHERE email_id = ? AND lead_id = ?`, [seed.templateEmail, seed.members.dnc]);
      expect(stat).toMatchObject({ source: 'api', email_address: 'dnc@example.org' });
      expect(Number(stat!.source_id)).toBe(0);
      expect(stat!.list_id).toBeNull();
      const ct = /\?ct=([A-Za-z0-9%]+)&/.exec(message!.html)![1]!;
      expect(decodeClickthrough(ct)).toMatchObject({ source: ['api', 0], lead: String(seed.members.dnc) });
      const [row] = await db.query(`SELECT sent_count FROM ${db.table('emails')} WHERE id = ?`, [seed.templateEmail]);
      expect(Number(row!.sent_count)).toBe(1);
    });

    it('fails a contact without an address and gives it a bounce DNC', async () => {
      const before = await outboxCount();
      const res = await request(app).post(`/api/emails/${seed.templateEmail}/contact/${seed.noAddress}/send`).set('Authorization', basic(ADMIN));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: false, failed: '' });
      expect(await outboxCount()).toBe(before);
      expect(await db.query(`SELECT id FROM ${db.table('email_stats')} WHERE lead_id = ?`, [seed.noAddress])).toEqual([]);
      const dnc = await db.query(`SELECT reason, channel, channel_id FROM ${db.table('lead_donotcontact')} WHERE lead_id = ?`, [seed.noAddress]);
      expect(dnc).toEqual([{ reason: 2, channel: 'email', channel_id: seed.templateEmail }]);
    });
  });

  describe('a transport that refuses the message (§5.5 step 4)', () => {
    let server: SMTPServer;
    let smtpApp: express.Express;
    let smtpMailer: ReturnType<typeof createSmtpMailer>;
    beforeAll(async () => {
      server = new SMTPServer({
        authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
        onRcptTo: (_address, _session, callback) => callback(new Error('mailbox unavailable')),
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      smtpMailer = createSmtpMailer(`smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`);
      smtpApp = buildApp({ db, config, mailer: smtpMailer });
    });
    afterAll(async () => {
      await smtpMailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('answers success:false with the transport error and deletes the stat it wrote', async () => {
      const [{ sent_count: sentBefore }] = (await db.query(`SELECT sent_count FROM ${db.table('emails')} WHERE id = ?`, [seed.templateEmail])) as [{ sent_count: number }];
      const res = await request(smtpApp).post(`/api/emails/${seed.templateEmail}/contact/${seed.members.bob}/send`).set('Authorization', basic(ADMIN));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: false, failed: expect.stringContaining('mailbox unavailable') });
      expect(await db.query(`SELECT id FROM ${db.table('email_stats')} WHERE email_id = ? AND lead_id = ?`, [seed.templateEmail, seed.members.bob])).toEqual([]);
      const [{ sent_count: sentAfter }] = (await db.query(`SELECT sent_count FROM ${db.table('emails')} WHERE id = ?`, [seed.templateEmail])) as [{ sent_count: number }];
      expect(sentAfter).toBe(sentBefore);
    });
  });

  describe('POST /api/emails/reply/{trackingHash} (§5.4)', () => {
    it('records the reply and marks the stat read', async () => {
      const [stat] = await db.query<{ id: number; tracking_hash: string }>(`SELECT id, tracking_hash FROM ${db.table('email_stats')} WHERE lead_id = ? AND email_id = ?`, [
        seed.members.ann,
        seed.listEmail,
      ]);
      const res = await request(app).post(`/api/emails/reply/${stat!.tracking_hash}`).set('Authorization', basic(ADMIN));
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe('application/json'); // docs/mautic/public-http.md §2.7
      expect(res.body).toEqual({ success: true });
      const replies = await db.query(`SELECT stat_id, message_id FROM ${db.table('email_stat_replies')}`);
      expect(replies).toEqual([{ stat_id: stat!.id, message_id: expect.stringMatching(/^api-[0-9a-f]+$/) }]);
      const [after] = await db.query(`SELECT is_read, date_read FROM ${db.table('email_stats')} WHERE id = ?`, [stat!.id]);
      expect(after).toMatchObject({ is_read: 1, date_read: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
    });
  });
}, { realMautic: ['', 'mt_'] });
