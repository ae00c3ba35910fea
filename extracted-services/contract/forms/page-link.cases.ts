/**
 * Contract cases of the `{pagelink=ID}` token of a redirect post action (docs/mautic/public-http.md
 * §4.2 "success, postAction=redirect", after Mautic's `testRedirectPostAction`): the landing page's
 * URL under `site_url`; a page that cannot be loaded leaves the token as written. Only the real
 * Mautic 5 schema has a `pages` table, so on our own schema the first case sees no page.
 */
import { isDbError } from '../../../legacy-adapter/src/db/errors.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { insertLandingPage } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import type { ContractCase, ContractRequest, Fixture } from '../contract-case.ts';
import { EMAIL_FIELD, formBody, formHeaders, givenForm } from './fixtures.ts';

/** A page that no schema holds. */
const MISSING_PAGE_ID = 987654321;
const SITE = 'http://127.0.0.1:8080';

/** The landing page of Mautic's test, or MISSING_PAGE_ID where there is no `pages` table. */
async function givenTargetPage(db: Db): Promise<{ pageId: number; pageFound: number }> {
  try {
    return { pageId: await insertLandingPage(db, 'test-form-redirect-target-page'), pageFound: 1 };
  } catch (err) {
    if (isDbError(err, 'DB_TABLE_MISSING')) return { pageId: MISSING_PAGE_ID, pageFound: 0 };
    throw err;
  }
}

const givenRedirectForm = async (db: Db, pageId: number) => (await givenForm(db, {
  name: 'Go page', alias: 'gopage', post_action: 'redirect', post_action_property: `{pagelink=${pageId}}?foo=bar&lead={contactfield=id}&email={formfield=email}`,
}, [EMAIL_FIELD])).formId;

const classicPost = (fx: Fixture): ContractRequest => ({
  method: 'POST', path: '/form/submit', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'john@doe.com' }),
});

const escape = (text: string): string => text.replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&');

export const PAGE_LINK_CASES: ContractCase[] = [
  {
    name: 'classic, post action redirect: {pagelink=ID} becomes the landing page\'s URL',
    cite: '§4.2 postAction=redirect',
    given: async (db) => {
      const page = await givenTargetPage(db);
      return { ...page, formId: await givenRedirectForm(db, page.pageId) };
    },
    request: classicPost,
    expect: (fx) => {
      const target = fx.pageFound === 1 ? `${SITE}/test-form-redirect-target-page` : `{pagelink=${fx.pageId}}`;
      return { status: 302, headers: { location: new RegExp(`^${escape(target)}\\?foo=bar&lead=[1-9][0-9]*&email=john@doe\\.com$`) } };
    },
  },
  {
    name: 'AJAX, post action redirect: a {pagelink=ID} of no page is left as written',
    cite: '§4.2 postAction=redirect',
    given: async (db) => ({ formId: await givenRedirectForm(db, MISSING_PAGE_ID) }),
    request: (fx) => ({ ...classicPost(fx), path: '/form/submit?ajax=1' }),
    expect: () => ({
      status: 200,
      body: (body: Buffer) => expect(JSON.parse(body.toString('utf8'))).toEqual({
        success: 1, results: { email: 'john@doe.com' }, redirect: expect.stringMatching(new RegExp(`^\\{pagelink=${MISSING_PAGE_ID}\\}\\?foo=bar&lead=[1-9][0-9]*&email=john@doe\\.com$`)),
      }),
    }),
  },
];
