import { encodeClickthrough } from './ct.ts';
import { parsePhpQuery } from './php-query.ts';
import { buildHitQuery, cleanHitQuery, cleanText, cleanUrl, decodeCtParam, stripTags } from './hit-query.ts';
import { browserLanguages, emailIdFromClickthrough, limit191, sourceFromClickthrough } from './hit-source.ts';

describe('hit query (docs/mautic/public-http.md §2.8, §3.2)', () => {
  it('takes page_url from the parameter, the d bundle, then the Referer', () => {
    const d = Buffer.from('a:1:{s:8:"page_url";s:14:"https://d.test";}').toString('base64');
    expect(buildHitQuery(parsePhpQuery('page_url=https%3A%2F%2Fp.test'), { referer: 'https://r.test' }).get('page_url')).toBe('https://p.test');
    expect(buildHitQuery(parsePhpQuery(`d=${encodeURIComponent(d)}`), { referer: 'https://r.test' }).get('page_url')).toBe('https://d.test');
    expect(buildHitQuery(parsePhpQuery(''), { referer: 'https://r.test' }).get('page_url')).toBe('https://r.test');
    expect(buildHitQuery(parsePhpQuery(''), { redirectUrl: 'https://x.test' }).get('page_url')).toBe('https://x.test');
  });

  it('decodes page_* values sent encoded once more, and lifts utm_* keys of the page URL lower-cased', () => {
    const q = buildHitQuery(parsePhpQuery('page_title=A%2520B&page_url=https%3A%2F%2Fs.test%2F%3FUTM_Campaign%3Dfall'));
    expect(q.get('page_title')).toBe('A B');
    expect(q.get('utm_campaign')).toBe('fall');
  });

  it('replaces ct by its decoded array; reports undecodable ones', () => {
    const ct = encodeClickthrough({ email: 5 });
    const merged = parsePhpQuery(`ct=${ct}`);
    const decoded = decodeCtParam(merged);
    expect(decoded.clickthrough).toEqual({ email: 5 });
    expect(buildHitQuery(merged, { clickthrough: decoded.clickthrough }).get('ct')).toEqual({ email: 5 });
    expect(decodeCtParam(parsePhpQuery('ct=Zm9v')).error?.code).toBe('CT_NOT_ARRAY');
    expect(decodeCtParam(parsePhpQuery('x=1'))).toEqual({});
  });

  it('cleans values like InputHelper: tags stripped, specials as &#NN;, URLs kept (PageModelTest::testCleanQueryWhenCalledReturnsSafeAndValidData)', () => {
    expect(stripTags('a<b>b</b><img src=x onerror=y>c<!-- x -->d')).toBe('abcd');
    expect(cleanText(' Tom & "Jerry" ')).toBe('Tom &#38; &#34;Jerry&#34;');
    expect(cleanText('1 < 2')).toBe('1 &#60; 2');
    expect(cleanUrl('https://a.test/p?q=a b')).toBe('https://a.test/p?q=ab');
    const cleaned = cleanHitQuery(new Map<string | number, unknown>([['page_url', 'https://a.test/?x=1&y=2'], ['c', { n: '<b>x</b>' }]]));
    expect(cleaned.get('page_url')).toBe('https://a.test/?x=1&y=2');
    expect(cleaned.get('c')).toEqual(new Map([['n', 'x']]));
  });

  it('derives source and email from ct (§2.5 "How ct is used")', () => {
    expect(sourceFromClickthrough({ channel: { email: 5 }, source: ['campaign.event', 9] })).toEqual({ source: 'email', sourceId: 5 });
    expect(sourceFromClickthrough({ channel: ['sms', '4'] })).toEqual({ source: 'sms', sourceId: 4 });
    expect(sourceFromClickthrough({ source: ['api', 0] })).toEqual({ source: 'api', sourceId: 0 });
    expect(sourceFromClickthrough({ channel: { a: 1, b: 2 } })).toEqual({ source: null, sourceId: null });
    expect(sourceFromClickthrough(undefined)).toEqual({ source: null, sourceId: null });
    expect([emailIdFromClickthrough({ email: '7' }), emailIdFromClickthrough({ email: 'x' })]).toEqual([7, null]);
  });

  it('reads Accept-Language like Symfony getLanguages and cuts VARCHAR(191) values', () => {
    expect(browserLanguages('en-US,en;q=0.9,de;q=0.95,fr;q=0')).toEqual(['en_US', 'de', 'en']);
    expect(browserLanguages(undefined)).toEqual([]);
    expect(limit191('é'.repeat(300))).toHaveLength(191);
    expect(limit191(null)).toBeNull();
  });
});
