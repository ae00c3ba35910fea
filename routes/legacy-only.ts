/**
 * Public Mautic routes that stay on the monolith (docs/mautic/public-http.md §1.4, and
 * §1.5 "Monolith"). They never move: each has any method, no upstream and is never
 * replayed. They are listed so logs and metrics name them instead of lumping them
 * into legacy.default. Data only; see routes/README.md.
 */
import type { RouteEntry } from '../gateway/src/model.ts';

/** Legacy-only routes, in catalogue order. */
export const LEGACY_ONLY_ROUTES: readonly RouteEntry[] = [
  {
    id: 'legacy.root', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/'],
    mauticRoutes: ['mautic_base_index'],
  },
  {
    id: 'legacy.secure-root', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/s'],
    mauticRoutes: ['mautic_secure_root'],
  },
  {
    id: 'legacy.dwc-index', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/dwc'],
    mauticRoutes: ['mautic_api_dynamicContent_index'], reference: '§3.10',
  },
  {
    id: 'legacy.page-preview', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/page/preview/{id}'],
    mauticRoutes: ['mautic_page_preview'], reference: '§3.14',
  },
  {
    id: 'legacy.form-result-file', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: [
      '/forms/results/file/{submissionId}/{field}',
      '/forms/results/file/{fieldId}/filename/{fileName}',
    ],
    mauticRoutes: ['mautic_form_file_download', 'mautic_form_file_download_by_name'],
  },
  {
    id: 'legacy.social-script', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/social/generate/{formName}.js'],
    mauticRoutes: ['mautic_social_js_generate'],
  },
  {
    id: 'legacy.notification', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: [
      '/notification',
      '/notification/receive',
      '/notification/subscribe',
      '/notification/appcallback',
    ],
    mauticRoutes: [
      'mautic_notification_popup',
      'mautic_receive_notification',
      'mautic_subscribe_notification',
      'mautic_app_notification',
    ],
  },
  {
    id: 'legacy.onesignal', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/OneSignalSDKWorker.js', '/OneSignalSDKUpdaterWorker.js', '/manifest.json'],
    mauticRoutes: ['mautic_onesignal_worker', 'mautic_onesignal_updater', 'mautic_onesignal_manifest'],
  },
  {
    id: 'legacy.sms', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/sms/{transport}/callback', '/sms/receive'],
    mauticRoutes: ['mautic_sms_callback', 'mautic_receive_sms'],
  },
  {
    id: 'legacy.oauth', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: [
      '/oauth/v2/token',
      '/oauth/v2/authorize',
      '/oauth/v2/authorize_login',
      '/oauth/v2/authorize_login_check',
    ],
    mauticRoutes: [
      'fos_oauth_server_token',
      'fos_oauth_server_authorize',
      'mautic_oauth2_server_auth_login',
      'mautic_oauth2_server_auth_login_check',
    ], reference: '§5.1',
  },
  {
    id: 'legacy.integration-callback', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/integration/{integration}/callback'],
    mauticRoutes: ['mautic_integration_public_callback'],
  },
  {
    id: 'legacy.plugin-auth', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: [
      '/plugins/integrations/authuser/{integration}',
      '/plugins/integrations/authcallback/{integration}',
      '/plugins/integrations/authstatus/{integration}',
    ],
    mauticRoutes: [
      'mautic_integration_auth_user',
      'mautic_integration_auth_callback',
      'mautic_integration_auth_postauth',
    ],
  },
  {
    id: 'legacy.plugin-crm-data', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/plugin/{integration}/contact_data', '/plugin/{integration}/company_data'],
    mauticRoutes: ['mautic_integration_contacts', 'mautic_integration_companies'],
  },
  {
    id: 'legacy.enrichment-callback', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/clearbit/callback', '/fullcontact/callback'],
    mauticRoutes: ['mautic_plugin_clearbit_index', 'mautic_plugin_fullcontact_index'],
  },
  {
    id: 'legacy.password-reset', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/passwordreset', '/passwordresetconfirm'],
    mauticRoutes: ['mautic_user_passwordreset', 'mautic_user_passwordresetconfirm'],
  },
  {
    id: 'legacy.saml', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/saml/metadata.xml', '/saml/discovery'],
    mauticRoutes: ['lightsaml_sp.metadata', 'lightsaml_sp.discovery'],
  },
  {
    id: 'legacy.installer', area: 'legacy-only', methods: 'ANY', upstream: null, replayable: false,
    paths: ['/installer', '/installer/step/{index}', '/installer/final', '/installer/{noerror}'],
    mauticRoutes: [
      'mautic_installer_home',
      'mautic_installer_step',
      'mautic_installer_final',
      'mautic_installer_catchcall',
    ],
  },
];
