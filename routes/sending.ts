/**
 * Email sending: the two send API routes (docs/mautic/public-http.md §5.2, §5.3), the reply
 * API route (§5.4) and the public email routes that act on what a send wrote (§3.8, §3.9). Data only;
 * routes/README.md explains every field and each choice.
 */
import type { RouteEntry } from '../gateway/src/model.ts';
import { API_RULES } from './comparison-rules.ts';
import { EXACT_RULES } from './comparison-rules.ts';
import { UNSUBSCRIBE_RULES } from './comparison-rules.ts';

/** Sending routes, in catalogue order. */
export const SENDING_ROUTES: readonly RouteEntry[] = [
  {
    id: 'sending.segment',
    area: 'sending',
    methods: ['POST'],
    paths: ['/api/emails/{id:digits}/send'],
    upstream: 'sending',
    replayable: false,
    mauticRoutes: ['mautic_api_sendemail'],
    reference: '§5.2',
    comparison: API_RULES,
    served: true,
    dryRun: true,
  },
  {
    id: 'sending.contact',
    area: 'sending',
    methods: ['POST'],
    paths: ['/api/emails/{id:digits}/contact/{contactId:digits}/send'],
    upstream: 'sending',
    replayable: false,
    mauticRoutes: ['mautic_api_sendcontactemail'],
    reference: '§5.3',
    comparison: API_RULES,
    served: true,
    dryRun: true,
  },
  {
    id: 'sending.reply',
    area: 'sending',
    methods: ['POST'],
    paths: ['/api/emails/reply/{trackingHash}'],
    upstream: 'sending',
    replayable: false,
    mauticRoutes: ['mautic_api_reply'],
    reference: '§5.4',
    comparison: API_RULES,
    served: true,
    dryRun: true,
  },
  {
    id: 'sending.unsubscribe',
    area: 'sending',
    methods: ['GET', 'HEAD', 'POST'],
    paths: [
      '/email/unsubscribe/{idHash}',
      '/email/unsubscribe/{idHash}/{urlEmail}',
      '/email/unsubscribe/{idHash}/{urlEmail}/{secretHash}',
    ],
    upstream: 'sending',
    replayable: false,
    mauticRoutes: ['mautic_email_unsubscribe'],
    reference: '§3.8',
    comparison: UNSUBSCRIBE_RULES,
  },
  {
    id: 'sending.unsubscribe-all',
    area: 'sending',
    methods: ['GET', 'HEAD', 'POST'],
    paths: ['/email/dnc/{idHash}/{urlEmail}/{secretHash}'],
    upstream: 'sending',
    replayable: false,
    mauticRoutes: ['mautic_email_unsubscribe_all'],
    reference: '§3.8',
    comparison: UNSUBSCRIBE_RULES,
  },
  {
    id: 'sending.resubscribe',
    area: 'sending',
    methods: ['GET', 'HEAD'],
    paths: ['/email/resubscribe/{idHash}'],
    upstream: 'sending',
    replayable: false,
    mauticRoutes: ['mautic_email_resubscribe'],
    reference: '§3.8',
    comparison: UNSUBSCRIBE_RULES,
  },
  {
    id: 'sending.preview',
    area: 'sending',
    methods: ['GET', 'HEAD'],
    paths: ['/email/preview/{objectId}', '/email/preview/{objectId}/{objectType}'],
    upstream: 'sending',
    replayable: true,
    mauticRoutes: ['mautic_email_preview'],
    reference: '§3.9',
    comparison: EXACT_RULES,
  },
  {
    id: 'sending.mailer-callback',
    area: 'sending',
    methods: ['GET', 'HEAD', 'POST'],
    paths: ['/mailer/callback'],
    upstream: 'sending',
    replayable: false,
    mauticRoutes: ['mautic_mailer_transport_callback'],
    reference: '§3.9',
    comparison: EXACT_RULES,
  },
];
