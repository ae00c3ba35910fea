/**
 * Sending cases of successful sends (docs/mautic/public-http.md §5.2–5.7): the answer, the
 * rows (`email_stats`, `email_copies`, `page_redirects`, `channel_url_trackables`, the
 * email's counter, the bounce DNC) and the message as it left: tokens, rewritten links with
 * UTM tags, the pixel, the headers of §5.7.
 */
import { TEST_NOW_TEXT } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import type { OutgoingEmail } from '../../../legacy-adapter/src/mail/types.ts';
import type { Fixture } from '../contract-case.ts';
import type { SendingCase } from './sending-contract.ts';
import { SITE_URL, TOKENS, post, seeded } from './fixtures.ts';

const settings = { siteUrl: SITE_URL };
/** Mautic's JsonResponse headers: the type, and Symfony's default Cache-Control (docs/mautic/public-http.md §3.1 notes it). */
const JSON_TYPE = { 'content-type': 'application/json', 'cache-control': 'no-cache, private' };
const HASH = /^[0-9a-f]{13}[0-9]{9}$/;
const OFFER = 'https://shop.test/offer?a=1&amp;b=2';

/** The four seeded emails' rows with their sent counters. */
function emailCounters(fx: Fixture, sent: { list?: number; limit?: number; template?: number }) {
  return [
    { id: fx.listEmail, sent_count: sent.list ?? 0 }, { id: fx.limitEmail, sent_count: sent.limit ?? 0 },
    { id: fx.templateEmail, sent_count: sent.template ?? 0 }, { id: fx.unpublishedEmail, sent_count: 0 },
  ];
}

function stat(fx: Fixture, emailId: number | string, leadId: number | string, address: string, listId: number | string | null, source: [string, number]) {
  return {
    email_id: emailId, lead_id: leadId, list_id: listId, email_address: address, date_sent: TEST_NOW_TEXT,
    tracking_hash: expect.stringMatching(HASH), source: source[0], source_id: source[1], copy_id: expect.stringMatching(/^[0-9a-f]{32}$/),
  };
}

/** The message's link and pixel, with its hash and the redirect id of the one trackable URL. */
function checkLinksAndPixel(message: OutgoingEmail): void {
  const link = new RegExp(`<a href="${SITE_URL}/r/[0-9a-f]{25}\\?ct=[A-Za-z0-9%]+&utm_source=newsletter&utm_campaign=spring">Offer</a>`);
  expect(message.html).toMatch(link);
  expect(message.html).toMatch(new RegExp(`<img height="1" width="1" src="${SITE_URL}/email/[0-9a-f]{13}[0-9]{9}\\.gif" alt="" /></body></html>$`));
  expect(message.text).toMatch(new RegExp(`^Offer: ${SITE_URL}/r/[0-9a-f]{25}\\?ct=[A-Za-z0-9%]+&utm_source=newsletter&utm_campaign=spring$`));
  expect(message.html).not.toContain('shop.test');
}

export const SEND_CASES: SendingCase[] = [
  {
    name: 'a contact send with a bearer token and custom tokens: transactional, no List-Unsubscribe', cite: '§5.3, §5.5, §5.7', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.templateEmail}/contact/${fx.ann}/send`, { tokens: { promo: 'custom <b>value</b>' } }, `Bearer ${TOKENS.valid}`),
    expect: (fx) => ({
      status: 200, headers: JSON_TYPE, body: { json: { success: true } },
      rows: {
        email_stats: [stat(fx, fx.templateEmail!, fx.ann!, 'ann@example.org', null, ['api', 0])],
        emails: emailCounters(fx, { template: 1 }),
        page_redirects: [{ url: OFFER, hits: 0, unique_hits: 0 }],
        channel_url_trackables: [{ channel: 'email', channel_id: fx.templateEmail, hits: 0, unique_hits: 0 }],
        email_copies: [{ subject: 'Hello {contactfield=firstname|friend} — Receipt' }],
      },
    }),
    mail: (_fx, sent) => {
      expect(sent).toHaveLength(1);
      const [message] = sent as [OutgoingEmail];
      expect(message).toMatchObject({
        from: { address: 'news@example.com', name: 'Example News' }, to: { address: 'ann@example.org', name: 'Ann' },
        replyTo: { address: 'reply@example.com' }, subject: 'Hello Ann — Receipt', headers: { 'X-Campaign': 'spring' },
      });
      expect(Object.keys(message.headers).sort()).toEqual(['X-Campaign']);
      expect(message.html).toContain('<p>Hi Ann</p>');
      expect(message.html).toContain('custom <b>value</b>');
      expect(message.html).toMatch(new RegExp(`<a href="${SITE_URL}/email/unsubscribe/[0-9a-f]{13}[0-9]{9}/ann@example.org/[0-9a-f]+">Unsubscribe</a>`));
      checkLinksAndPixel(message);
    },
  },
  {
    name: 'a contact without an address fails and gets a bounce DNC', cite: '§5.3', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.templateEmail}/contact/${fx.noAddress}/send`),
    expect: (fx) => ({
      status: 200, headers: JSON_TYPE, body: { json: { success: false, failed: '' } },
      rows: {
        email_stats: [], emails: emailCounters(fx, {}),
        lead_donotcontact: [{ lead_id: fx.dnc, reason: 1 }, { lead_id: fx.noAddress, reason: 2, channel: 'email', channel_id: fx.templateEmail, comments: 'Bad email' }],
      },
    }),
  },
  {
    name: 'a segment send: pending contacts only (DNC skipped), broadcast headers', cite: '§5.2, §5.5, §5.7', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.listEmail}/send`),
    expect: (fx) => ({
      status: 200, headers: JSON_TYPE, body: { json: { success: 1, sentCount: 2, failedRecipients: 0 } },
      rows: {
        email_stats: [stat(fx, fx.listEmail!, fx.ann!, 'ann@example.org', fx.segment!, ['email', Number(fx.listEmail)]), stat(fx, fx.listEmail!, fx.bob!, 'bob@example.org', fx.segment!, ['email', Number(fx.listEmail)])],
        emails: emailCounters(fx, { list: 2 }),
        page_redirects: [{ url: OFFER }],
        channel_url_trackables: [{ channel: 'email', channel_id: fx.listEmail }],
      },
    }),
    mail: (fx, sent) => {
      expect(sent.map((m) => [m.to.address, m.subject])).toEqual([['ann@example.org', 'Hello Ann — Spring list'], ['bob@example.org', 'Hello friend — Spring list']]);
      for (const message of sent) {
        expect(message.headers).toEqual({
          'X-Campaign': 'spring', Precedence: 'Bulk', 'X-EMAIL-ID': String(fx.listEmail),
          'List-Unsubscribe': expect.stringMatching(new RegExp(`^<${SITE_URL}/email/unsubscribe/[0-9a-f]{13}[0-9]{9}/${message.to.address}/[0-9a-f]+>$`)),
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        });
        expect(message.html).toContain('{promo}');
        checkLinksAndPixel(message);
      }
    },
  },
  {
    name: 'limit 1, batch 1: one contact, the first pending', cite: '§5.2', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.limitEmail}/send`, { limit: 1, batch: 1 }),
    expect: (fx) => ({
      status: 200, headers: JSON_TYPE, body: { json: { success: 1, sentCount: 1, failedRecipients: 0 } },
      rows: { email_stats: [{ email_id: fx.limitEmail, lead_id: fx.ann }], emails: emailCounters(fx, { limit: 1 }) },
    }),
    mail: (_fx, sent) => expect(sent.map((m) => m.to.address)).toEqual(['ann@example.org']),
  },
  {
    name: 'form-encoded batch 1 without a limit: every pending contact, one batch each', cite: '§5.1, §5.2', settings, given: seeded,
    request: (fx) => ({ ...post(`/api/emails/${fx.listEmail}/send`), headers: { ...post('').headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'batch=1' }),
    expect: (fx) => ({
      status: 200, headers: JSON_TYPE, body: { json: { success: 1, sentCount: 2, failedRecipients: 0 } },
      rows: { email_stats: [{ lead_id: fx.ann }, { lead_id: fx.bob }], emails: emailCounters(fx, { list: 2 }) },
    }),
    mail: (_fx, sent) => expect(sent.map((m) => m.to.address)).toEqual(['ann@example.org', 'bob@example.org']),
  },
  {
    name: 'a second segment send finds nobody pending (no resends)', cite: '§5.2', settings, given: seeded,
    before: (fx) => [post(`/api/emails/${fx.listEmail}/send`)],
    request: (fx) => post(`/api/emails/${fx.listEmail}/send`),
    expect: (fx) => ({
      status: 200, headers: JSON_TYPE, body: { json: { success: 1, sentCount: 0, failedRecipients: 0 } },
      rows: { email_stats: [{ lead_id: fx.ann }, { lead_id: fx.bob }], emails: emailCounters(fx, { list: 2 }) },
    }),
    mail: (_fx, sent) => expect(sent).toHaveLength(2),
  },
  {
    name: 'a template email sent to segments sends nothing', cite: '§5.2', settings, given: seeded,
    request: (fx) => post(`/api/emails/${fx.templateEmail}/send`),
    expect: (fx) => ({ status: 200, headers: JSON_TYPE, body: { json: { success: 1, sentCount: 0, failedRecipients: 0 } }, rows: { email_stats: [], emails: emailCounters(fx, {}) } }),
  },
];
