import { parsePhpQuery } from './php-query.ts';
import {
  appendQueryToUrl, buildRedirectLocation, decodeStoredAmpersands, isValidRedirectUrl, replaceContactFieldTokens, sanitizeRedirectUrl,
} from './redirect-location.ts';

describe('click redirect Location (docs/mautic/public-http.md §3.5)', () => {
  it('reproduces PublicControllerTest::testAssetRedirectUrlWithClickThrough (double-append quirk)', () => {
    const location = buildRedirectLocation({
      storedUrl: 'https://some.test.url/asset/1:examplefilejpg',
      query: parsePhpQuery('ct=dummy_click_through'),
      rawCt: 'dummy_click_through',
    });
    expect(location).toBe('https://some.test.url/asset/1:examplefilejpg?ct=dummy_click_through%3Fct%3Ddummy_click_through');
  });

  it('decodes stored ampersands repeatedly (step 2)', () => {
    expect(decodeStoredAmpersands('a?x=1&amp;amp;y=2&#38;z=3&#x26;w')).toBe('a?x=1&y=2&z=3&w');
  });

  it('appends before the fragment with ? or & (step 3)', () => {
    expect(appendQueryToUrl('https://a.test/p#top', 'x=1')).toBe('https://a.test/p?x=1#top');
    expect(appendQueryToUrl('https://a.test/p?y=2', 'x=1')).toBe('https://a.test/p?y=2&x=1');
    expect(appendQueryToUrl('https://a.test/p', '')).toBe('https://a.test/p');
  });

  it('replaces contact field tokens url-encoded (step 4)', () => {
    expect(replaceContactFieldTokens('https://a.test/?e={contactfield=email}&n={contactfield=firstname|friend}', { email: 'a+b@x.test' }))
      .toBe('https://a.test/?e=a%2Bb%40x.test&n=friend');
  });

  it.each<[string, string]>([
    ['example.com/a b', 'http://example.com/a%20b'],
    ['//cdn.test/x', '//cdn.test/x'],
    ['mailto:a@b.test', 'mailto:a@b.test'],
    ['https://a.test/?a.b=1 2&c=%7E', 'https://a.test/?a_b=1+2&c=%7E'], // PHP parse_str + http_build_query
    ['https://a.test/p?x=1#frag', 'https://a.test/p?x=1#frag'],
  ])('sanitizes %s → %s (step 6)', (input, output) => {
    expect(sanitizeRedirectUrl(input)).toBe(output);
  });

  it.each<[string, boolean]>([
    ['https://a.test/x', true], ['http://bad_host!/x', false], ['http:///nohost', false], ['mailto:a@b.test', true], ['not a url', false],
  ])('validates %s → %p (step 7)', (url, valid) => {
    expect(isValidRedirectUrl(url)).toBe(valid);
  });

  it('forwards the whole incoming query, ct included (5.x)', () => {
    expect(buildRedirectLocation({ storedUrl: 'https://shop.test/p?ref=mail', query: parsePhpQuery('ct=YTowOnt9&utm_source=news') }))
      .toBe('https://shop.test/p?ref=mail&ct=YTowOnt9&utm_source=news');
  });

  it('returns null for a destination that is not a valid URL (→ 404)', () => {
    expect(buildRedirectLocation({ storedUrl: 'http://', query: new Map() })).toBeNull();
  });
});
