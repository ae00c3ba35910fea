// Issue #14: a form submission shadowed from the stand-in (legacy) to the forms service (dry run)
// matches under the catalogue's comparison rules for its route, once the noise those rules name
// (device and contact ids, the session cookie) is left out; a real difference is still found.
// Cross-part on purpose: the rules are routes/, the comparison gateway/, the two answers come
// from the stand-in and the service, so it lives here rather than in any one of them.
import { FORMS_SERVICE, STANDIN } from '../extracted-services/contract/implementations.ts';
import type { RunningImplementation } from '../extracted-services/contract/implementations.ts';
import type { ContractRequest, ContractResponse } from '../extracted-services/contract/contract-case.ts';
import { clearFormsContract, formBody, formHeaders, givenContactForm } from '../extracted-services/contract/forms/fixtures.ts';
import { sendRaw } from '../extracted-services/contract/send-raw.ts';
import { compareResponses } from '../gateway/src/compare/compare.ts';
import type { CapturedResponse } from '../gateway/src/compare/types.ts';
import { FORMS_ROUTES } from '../routes/forms.ts';
import { forEachDialect } from './databases.ts';

/** A raw answer as the gateway's capture holds it: every header field, each Set-Cookie apart. */
function captured(res: ContractResponse): CapturedResponse {
  const rawHeaders = Object.entries(res.headers).flat();
  for (const cookie of res.cookies) rawHeaders.push('set-cookie', cookie);
  return { status: res.status, rawHeaders, body: res.body, truncated: false };
}

const rulesOf = (routeId: string) => FORMS_ROUTES.find((r) => r.id === routeId)!.comparison!;

/** The same post to both: the shadow copy first (rolled back), then legacy (committed), as the gateway would. */
async function shadowed(standin: RunningImplementation, forms: RunningImplementation, legacyRequest: ContractRequest, shadowRequest = legacyRequest) {
  const shadow = await sendRaw(forms.url, { ...shadowRequest, headers: { ...shadowRequest.headers, 'x-strangler-mode': 'shadow' } });
  const legacy = await sendRaw(standin.url, legacyRequest);
  return { legacy: captured(legacy), shadow: captured(shadow) };
}

const post = (path: string, fields: Record<string, string>): ContractRequest => ({ method: 'POST', path, headers: formHeaders(), body: formBody(fields) });

forEachDialect('a shadowed form submission (issue #14)', (getDb) => {
  let standin: RunningImplementation;
  let forms: RunningImplementation;
  let formId = 0;

  beforeAll(async () => {
    standin = await STANDIN.start(getDb(), {});
    forms = await FORMS_SERVICE.start(getDb(), {});
  });
  afterAll(async () => {
    await standin?.close();
    await forms?.close();
  });
  beforeEach(async () => {
    await clearFormsContract(getDb());
    // Post action `return`: `message` in classic mode writes a flash into the PHP session, which the
    // stateless service does not (extracted-services/forms/README.md, differences from Mautic).
    formId = await givenContactForm(getDb(), { post_action: 'return', post_action_property: 'Thanks for contacting us!' });
  });

  it.each([
    ['forms.submit', 'AJAX', '/form/submit?ajax=1', {}],
    ['forms.submit-ajax', '/form/submit/ajax', '/form/submit/ajax', {}],
    ['forms.submit', 'messenger', '/form/submit', { messenger: '1' }],
    ['forms.submit', 'classic with a return URL', '/form/submit', { return: 'https://shop.test/contact?x=1' }],
    ['forms.submit', 'classic, a validation error', '/form/submit', { return: 'https://shop.test/contact', email: 'not an email' }],
  ])('%s, %s: the stand-in and the dry run match', async (routeId, _mode, path, extra) => {
    const request = post(path, { formId: String(formId), email: 'ann@example.org', first_name: 'Ann', ...extra });
    const { legacy, shadow } = await shadowed(standin, forms, request);
    expect(compareResponses(rulesOf(routeId), legacy, shadow, { maxDifferences: 20 })).toEqual({ outcome: 'match' });
  });

  it('finds a real difference: another submitted value', async () => {
    const legacyRequest = post('/form/submit?ajax=1', { formId: String(formId), email: 'ann@example.org' });
    const shadowRequest = post('/form/submit?ajax=1', { formId: String(formId), email: 'bob@example.org' });
    const { legacy, shadow } = await shadowed(standin, forms, legacyRequest, shadowRequest);
    expect(compareResponses(rulesOf('forms.submit'), legacy, shadow, { maxDifferences: 20 })).toEqual({
      outcome: 'mismatch', omitted: 0,
      differences: [{ path: 'body.results.email', legacy: '"ann@example.org"', new: '"bob@example.org"' }],
    });
  });
});
