/**
 * The content of routes/: every public route of docs/mautic/public-http.md §1.4 and the
 * two sending API routes are there, the per-route choices hold, and routes/README.md
 * matches the data.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTE_ENTRIES } from '../../../routes/index.ts';
import { loadCatalogue } from './compile.ts';
import { renderCatalogueTable, TABLE_END, TABLE_START } from '../../test/support/catalogue-table.ts';

const ROUTES_DIR = join(__dirname, '..', '..', '..', 'routes');
const catalogue = loadCatalogue();

/** [Mautic route name, method, a real URL it answers, the catalogue route it must land on]. */
const MAUTIC_ROUTES: readonly (readonly [string, string, string, string])[] = [
  // §1.4, in its order
  ['mautic_js', 'GET', '/mtc.js', 'tracking.script'],
  ['mautic_page_tracker', 'GET', '/mtracking.gif', 'tracking.pixel'],
  ['mautic_page_tracker_cors', 'POST', '/mtc/event', 'tracking.event'],
  ['mautic_page_tracker_getcontact', 'GET', '/mtc', 'tracking.contact-id'],
  ['mautic_url_redirect', 'GET', '/r/abc', 'tracking.click'],
  ['mautic_page_redirect', 'GET', '/redirect/abc', 'tracking.click'],
  ['mautic_gated_video_hit', 'POST', '/video/hit', 'tracking.video-hit'],
  ['mautic_page_preview', 'GET', '/page/preview/3', 'legacy.page-preview'],
  ['mautic_email_tracker', 'GET', '/email/abc.gif', 'tracking.email-open'],
  ['mautic_email_webview', 'GET', '/email/view/abc', 'tracking.email-webview'],
  ['mautic_email_unsubscribe', 'GET', '/email/unsubscribe/abc/jo@x.io/ff', 'sending.unsubscribe'],
  ['mautic_email_unsubscribe_all', 'GET', '/email/dnc/abc/jo@x.io/ff', 'sending.unsubscribe-all'],
  ['mautic_email_resubscribe', 'GET', '/email/resubscribe/abc', 'sending.resubscribe'],
  ['mautic_email_preview', 'GET', '/email/preview/3', 'sending.preview'],
  ['mautic_mailer_transport_callback', 'POST', '/mailer/callback', 'sending.mailer-callback'],
  ['mautic_plugin_tracker', 'GET', '/plugin/Gmail/tracking.gif', 'tracking.plugin-pixel'],
  ['mautic_api_dynamicContent_action', 'GET', '/dwc/slot1', 'tracking.dwc'],
  ['mautic_api_dynamicContent_index', 'GET', '/dwc', 'legacy.dwc-index'],
  ['mautic_asset_download', 'GET', '/asset/1:file', 'tracking.asset'],
  ['mautic_form_postresults', 'POST', '/form/submit?formId=1', 'forms.submit'],
  ['mautic_form_postresults_ajax', 'POST', '/form/submit/ajax', 'forms.submit-ajax'],
  ['mautic_form_generateform', 'GET', '/form/generate.js?id=1', 'forms.generate'],
  ['mautic_form_postmessage', 'GET', '/form/message', 'forms.message'],
  ['mautic_form_preview', 'GET', '/form/1', 'forms.preview'],
  ['mautic_form_embed', 'GET', '/form/embed/1', 'forms.embed'],
  ['mautic_form_company_lookup', 'POST', '/form/company-lookup/autocomplete', 'forms.company-lookup'],
  ['mautic_form_file_download', 'GET', '/forms/results/file/1/f', 'legacy.form-result-file'],
  ['mautic_form_file_download_by_name', 'GET', '/forms/results/file/1/filename/a.pdf', 'legacy.form-result-file'],
  ['mautic_focus_generate', 'GET', '/focus/1.js', 'tracking.focus-script'],
  ['mautic_focus_pixel', 'GET', '/focus/1/viewpixel.gif', 'tracking.focus-pixel'],
  ['mautic_social_js_generate', 'GET', '/social/generate/f.js', 'legacy.social-script'],
  ['mautic_receive_notification', 'POST', '/notification/receive', 'legacy.notification'],
  ['mautic_subscribe_notification', 'POST', '/notification/subscribe', 'legacy.notification'],
  ['mautic_notification_popup', 'GET', '/notification', 'legacy.notification'],
  ['mautic_app_notification', 'POST', '/notification/appcallback', 'legacy.notification'],
  ['mautic_onesignal_worker', 'GET', '/OneSignalSDKWorker.js', 'legacy.onesignal'],
  ['mautic_onesignal_updater', 'GET', '/OneSignalSDKUpdaterWorker.js', 'legacy.onesignal'],
  ['mautic_onesignal_manifest', 'GET', '/manifest.json', 'legacy.onesignal'],
  ['mautic_sms_callback', 'POST', '/sms/twilio/callback', 'legacy.sms'],
  ['mautic_receive_sms', 'POST', '/sms/receive', 'legacy.sms'],
  ['fos_oauth_server_token', 'POST', '/oauth/v2/token', 'legacy.oauth'],
  ['fos_oauth_server_authorize', 'GET', '/oauth/v2/authorize', 'legacy.oauth'],
  ['mautic_oauth2_server_auth_login', 'GET', '/oauth/v2/authorize_login', 'legacy.oauth'],
  ['mautic_oauth2_server_auth_login_check', 'POST', '/oauth/v2/authorize_login_check', 'legacy.oauth'],
  ['mautic_integration_public_callback', 'GET', '/integration/Hubspot/callback', 'legacy.integration-callback'],
  ['mautic_integration_auth_user', 'GET', '/plugins/integrations/authuser/Hubspot', 'legacy.plugin-auth'],
  ['mautic_integration_auth_callback', 'GET', '/plugins/integrations/authcallback/Hubspot', 'legacy.plugin-auth'],
  ['mautic_integration_auth_postauth', 'GET', '/plugins/integrations/authstatus/Hubspot', 'legacy.plugin-auth'],
  ['mautic_integration_contacts', 'GET', '/plugin/Hubspot/contact_data', 'legacy.plugin-crm-data'],
  ['mautic_integration_companies', 'GET', '/plugin/Hubspot/company_data', 'legacy.plugin-crm-data'],
  ['mautic_plugin_clearbit_index', 'POST', '/clearbit/callback', 'legacy.enrichment-callback'],
  ['mautic_plugin_fullcontact_index', 'POST', '/fullcontact/callback', 'legacy.enrichment-callback'],
  ['mautic_user_passwordreset', 'GET', '/passwordreset', 'legacy.password-reset'],
  ['mautic_user_passwordresetconfirm', 'GET', '/passwordresetconfirm', 'legacy.password-reset'],
  ['lightsaml_sp.metadata', 'GET', '/saml/metadata.xml', 'legacy.saml'],
  ['lightsaml_sp.discovery', 'GET', '/saml/discovery', 'legacy.saml'],
  ['mautic_installer_home', 'GET', '/installer', 'legacy.installer'],
  ['mautic_installer_step', 'GET', '/installer/step/1', 'legacy.installer'],
  ['mautic_installer_final', 'GET', '/installer/final', 'legacy.installer'],
  ['mautic_installer_catchcall', 'GET', '/installer/x', 'legacy.installer'],
  ['mautic_base_index', 'GET', '/', 'legacy.root'],
  ['mautic_secure_root', 'GET', '/s', 'legacy.secure-root'],
  ['mautic_secure_root_slash', 'GET', '/s/', 'legacy.default'],
  ['mautic_remove_trailing_slash', 'GET', '/my-page/', 'legacy.default'],
  ['mautic_page_public', 'GET', '/my-page', 'legacy.default'],
  // §5.2, §5.3, §5.4
  ['mautic_api_sendemail', 'POST', '/api/emails/3/send', 'sending.segment'],
  ['mautic_api_sendcontactemail', 'POST', '/api/emails/3/contact/9/send', 'sending.contact'],
  ['mautic_api_reply', 'POST', '/api/emails/reply/65f1c0a2b3c4d812345678', 'sending.reply'],
];

describe('every Mautic public route and the sending API routes are catalogued', () => {
  it.each(MAUTIC_ROUTES)('%s: %s %s → %s', (name, method, target, id) => {
    expect(catalogue.match(method, target).route.id).toBe(id);
    const namedBy = ROUTE_ENTRIES.filter((e) => e.mauticRoutes.includes(name)).map((e) => e.id);
    expect(namedBy).toEqual(id === 'legacy.default' ? [] : [id]);
  });

  it('names no Mautic route that the table above does not know', () => {
    const known = new Set(MAUTIC_ROUTES.map(([name]) => name));
    expect(ROUTE_ENTRIES.flatMap((e) => e.mauticRoutes).filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('catalogue invariants', () => {
  it('has unique ids, and every route of an area moves to that area\'s upstream', () => {
    expect(new Set(ROUTE_ENTRIES.map((e) => e.id)).size).toBe(ROUTE_ENTRIES.length);
    for (const entry of ROUTE_ENTRIES) {
      expect([entry.id, entry.upstream]).toEqual([entry.id, entry.area === 'legacy-only' ? null : entry.area]);
    }
  });

  it('marks replayable exactly the handlers that write nothing (routes/README.md, "Replayable")', () => {
    expect(ROUTE_ENTRIES.filter((e) => e.replayable).map((e) => e.id).sort()).toEqual([
      'forms.company-lookup', 'forms.embed', 'forms.generate', 'forms.message', 'forms.preview',
      'sending.preview', 'tracking.focus-script', 'tracking.script',
    ]);
  });

  it('keeps pixel, event, click and email open of one contact in one journey group (docs/architecture.md §3)', () => {
    const group = (id: string): string | undefined => catalogue.byId(id)?.journeyGroup;
    const journey = ['tracking.event', 'tracking.click', 'tracking.email-open', 'tracking.contact-id'].map(group);
    expect(new Set([group('tracking.pixel'), ...journey])).toEqual(new Set(['contact-journey']));
    expect(new Set(['forms.submit', 'forms.submit-ajax', 'forms.message'].map(group))).toEqual(new Set(['form-journey']));
  });

  it('never lists OPTIONS: Mautic answers preflights in its CORS middleware (docs/mautic/public-http.md §2.3)', () => {
    expect(ROUTE_ENTRIES.filter((e) => e.methods !== 'ANY' && e.methods.includes('OPTIONS'))).toEqual([]);
  });

  it('lets every GET route answer HEAD too', () => {
    const getWithoutHead = ROUTE_ENTRIES.filter((e) => e.methods !== 'ANY' && e.methods.includes('GET') && !e.methods.includes('HEAD'));
    expect(getWithoutHead.map((e) => e.id)).toEqual([]);
  });
});

describe('routes/ is plain data', () => {
  const files = readdirSync(ROUTES_DIR).filter((f) => f.endsWith('.ts'));

  it.each(files)('%s has no code: only type imports, local imports and object literals', (file) => {
    const source = readFileSync(join(ROUTES_DIR, file), 'utf8');
    expect(source).not.toMatch(/\bfunction\b|=>|\bclass\b|\bnew\b|process\.|require\(/);
    const imports = source.split('\n').filter((line) => line.startsWith('import '));
    for (const line of imports) expect(line).toMatch(/^import type .* from '\.\.\/gateway\/src\/model\.ts';$|^import \{ \w+ \} from '\.\/[a-z-]+\.ts';$/);
  });
});

describe('routes/README.md', () => {
  const readme = readFileSync(join(ROUTES_DIR, 'README.md'), 'utf8');

  it('holds the table generated from the data, between its markers', () => {
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + TABLE_START.length, end).trim()).toBe(renderCatalogueTable());
  });

  it('mentions every route id and every unmatched kind', () => {
    for (const route of catalogue.routes) expect(readme).toContain(`\`${route.id}\``);
    const kinds = ['not-origin-form', 'path-too-long', 'invalid-character', 'invalid-escape', 'ambiguous-escape', 'empty-segment',
      'trailing-slash', 'dot-segment', 'index-php', 'api-marker', 'no-route', 'method-not-allowed'];
    for (const kind of kinds) expect(readme).toContain(`\`${kind}\``);
  });
});
