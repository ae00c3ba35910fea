import { decodeClickthrough } from './ct.ts';
import { readCredentials } from './api-credentials.ts';
import { controllerErrorBody } from './mautic-api.ts';
import { appendTrackingPixel, applyTokens, findTrackableUrls, tokenizeLinks } from './email-content.ts';
import { buildHeaders } from './email-headers.ts';
import { buildTokens, encodePathParam } from './email-tokens.ts';

const SITE = 'https://m.example.com';

describe('email content (docs/mautic/public-http.md §5.5)', () => {
  const html = '<html><body><a href="https://shop.test/a?x=1&amp;y=2">A</a> <a href=\'{unsubscribe_url}\'>U</a>'
    + ' <a href="mailto:x@y.z">M</a> <a href="https://m.example.com/email/view/abc">V</a> <a href="https://shop.test/a?x=1&amp;y=2">again</a></body></html>';
  const text = 'Visit https://blog.test/post and https://shop.test/a?x=1&amp;y=2';

  it('appends the tracking pixel before </body>, or at the end', () => {
    expect(appendTrackingPixel('<body>x</body>')).toBe('<body>x<img height="1" width="1" src="{tracking_pixel}" alt="" /></body>');
    expect(appendTrackingPixel('<p>x</p>')).toBe('<p>x</p><img height="1" width="1" src="{tracking_pixel}" alt="" />');
    expect(appendTrackingPixel('')).toBe('');
  });

  it('finds distinct http(s) links, skipping tokens, mailto and the site\'s own /email URLs', () => {
    expect(findTrackableUrls(html, text, SITE)).toEqual(['https://shop.test/a?x=1&amp;y=2', 'https://blog.test/post']);
  });

  it('replaces links by {trackable=N} tokens in HTML and text', () => {
    const ids = new Map([['https://shop.test/a?x=1&amp;y=2', 7], ['https://blog.test/post', 8]]);
    const out = tokenizeLinks(html, text, ids);
    expect(out.html).toContain('<a href="{trackable=7}">A</a>');
    expect(out.html).toContain('<a href="{trackable=7}">again</a>');
    expect(out.html).toContain("href='{unsubscribe_url}'");
    expect(out.text).toBe('Visit {trackable=8} and {trackable=7}');
  });

  it('applies tokens case-insensitively and leaves unknown ones', () => {
    expect(applyTokens('{A} {a} {b}', { '{a}': '1' })).toBe('1 1 {b}');
  });
});

describe('tokens (§5.5 step 2, §2.5, §3.8)', () => {
  const tokens = buildTokens({
    siteUrl: SITE, secretKey: 'k', emailId: 5, contactId: 123, contactFields: { firstname: 'Ann', lastname: null },
    emailAddress: 'ann+x@example.org', trackingHash: '65f1c0a2b3c4d812345678', source: ['email', 5],
    trackables: [{ id: 7, redirectId: 'abcdef0123456789abcdef012' }], utmTags: { utmSource: 'news letter', utmCampaign: 'c1' },
    content: 'Hi {contactfield=firstname}, {contactfield=lastname|friend}', custom: { '{unsubscribe_url}': 'evil', '{promo}': 'X' },
  });

  it('builds the public URLs from the tracking hash', () => {
    expect(tokens['{tracking_pixel}']).toBe(`${SITE}/email/65f1c0a2b3c4d812345678.gif`);
    expect(tokens['{webview_url}']).toBe(`${SITE}/email/view/65f1c0a2b3c4d812345678`);
    expect(tokens['{unsubscribe_url}']).toMatch(/^https:\/\/m\.example\.com\/email\/unsubscribe\/65f1c0a2b3c4d812345678\/ann\+x@example\.org\/[0-9a-f]{64}$/);
    expect(tokens['{promo}']).toBe('X');
  });

  it('writes /r/ links whose ct decodes to the §2.5 shape, then the UTM tags', () => {
    const link = tokens['{trackable=7}']!;
    const match = /^https:\/\/m\.example\.com\/r\/abcdef0123456789abcdef012\?ct=([^&]+)&utm_source=news\+letter&utm_campaign=c1$/.exec(link);
    expect(match).not.toBeNull();
    expect(decodeClickthrough(match![1]!)).toEqual({
      source: ['email', 5], email: 5, stat: '65f1c0a2b3c4d812345678', lead: '123', channel: { email: 5 },
    });
  });

  it('fills contact fields with their fallback', () => {
    expect(tokens['{contactfield=firstname}']).toBe('Ann');
    expect(tokens['{contactfield=lastname|friend}']).toBe('friend');
  });

  it('encodes path parameters as Symfony does', () => {
    expect(encodePathParam('a b/c@d+e')).toBe('a%20b%2Fc@d+e');
  });
});

describe('headers (§5.7)', () => {
  it('adds bulk headers and List-Unsubscribe to broadcasts, Mautic\'s URL first', () => {
    expect(buildHeaders({ emailId: 5, kind: 'list', unsubscribeUrl: 'https://u', custom: { 'List-Unsubscribe': '<mailto:u@x>', 'X-Tag': 't' } })).toEqual({
      'X-Tag': 't', Precedence: 'Bulk', 'X-EMAIL-ID': '5', 'List-Unsubscribe': '<https://u>,<mailto:u@x>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('adds no List-Unsubscribe to transactional sends', () => {
    expect(buildHeaders({ emailId: 5, kind: 'transactional', unsubscribeUrl: 'https://u', custom: {} })).toEqual({});
  });
});

describe('API credentials and errors (§5.1)', () => {
  it.each([
    [undefined, undefined, { kind: 'none' }],
    [`Basic ${Buffer.from('admin:p:w').toString('base64')}`, undefined, { kind: 'basic', username: 'admin', password: 'p:w' }],
    ['Bearer abc', undefined, { kind: 'bearer', token: 'abc' }],
    [undefined, 'tok', { kind: 'bearer', token: 'tok' }],
    ['Basic !!!', undefined, { kind: 'malformed', scheme: 'basic' }],
    ['Digest x', undefined, { kind: 'malformed', scheme: 'digest' }],
  ])('%s / %s → %j', (header, param, expected) => {
    expect(readCredentials(header, param)).toEqual(expected);
  });

  it('renders the controller error shape', () => {
    expect(controllerErrorBody(404, 'Item was not found.')).toEqual({
      errors: [{ code: 404, message: 'Item was not found.', details: [], type: null }],
    });
  });
});
