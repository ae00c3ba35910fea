/**
 * Public form routes (docs/mautic/public-http.md §1.4, §4). Data only; routes/README.md
 * explains every field and each choice.
 */
import type { RouteEntry } from '../gateway/src/model.ts';
import { EXACT_RULES } from './comparison-rules.ts';
import { FORM_SUBMIT_RULES } from './comparison-rules.ts';
import { XHR_JSON_RULES } from './comparison-rules.ts';

/**
 * A classic submit stores a flash in the PHP session and redirects to /form/message,
 * which shows it (§4.2): both must be answered by the same side.
 */
const FORM_JOURNEY = 'form-journey';

/** Form routes, in catalogue order. */
export const FORMS_ROUTES: readonly RouteEntry[] = [
  {
    id: 'forms.submit',
    area: 'forms',
    methods: ['POST'],
    paths: ['/form/submit'],
    upstream: 'forms',
    replayable: false,
    journeyGroup: FORM_JOURNEY,
    mauticRoutes: ['mautic_form_postresults'],
    reference: '§4.2',
    comparison: FORM_SUBMIT_RULES,
    served: true,
    dryRun: true,
  },
  {
    id: 'forms.submit-ajax',
    area: 'forms',
    methods: ['POST'],
    paths: ['/form/submit/ajax'],
    upstream: 'forms',
    replayable: false,
    journeyGroup: FORM_JOURNEY,
    mauticRoutes: ['mautic_form_postresults_ajax'],
    reference: '§4.3',
    comparison: FORM_SUBMIT_RULES,
    served: true,
    dryRun: true,
  },
  {
    id: 'forms.message',
    area: 'forms',
    methods: ['GET', 'HEAD'],
    paths: ['/form/message'],
    upstream: 'forms',
    replayable: true,
    journeyGroup: FORM_JOURNEY,
    mauticRoutes: ['mautic_form_postmessage'],
    reference: '§4.4',
    comparison: EXACT_RULES,
    // The service shows the flash of its own classic submissions (its signed cookie); not dryRun:
    // shadowed, it would never hold legacy's session flash.
    served: true,
  },
  {
    id: 'forms.generate',
    area: 'forms',
    methods: ['GET', 'HEAD'],
    paths: ['/form/generate.js'],
    upstream: 'forms',
    replayable: true,
    mauticRoutes: ['mautic_form_generateform'],
    reference: '§4.4',
    comparison: EXACT_RULES,
  },
  {
    id: 'forms.preview',
    area: 'forms',
    methods: ['GET', 'HEAD'],
    paths: ['/form/{id:digits}'],
    upstream: 'forms',
    replayable: true,
    mauticRoutes: ['mautic_form_preview'],
    reference: '§4.4',
    comparison: EXACT_RULES,
  },
  {
    id: 'forms.embed',
    area: 'forms',
    methods: ['GET', 'HEAD'],
    paths: ['/form/embed/{id:digits}'],
    upstream: 'forms',
    replayable: true,
    mauticRoutes: ['mautic_form_embed'],
    reference: '§4.4',
    comparison: EXACT_RULES,
  },
  {
    id: 'forms.company-lookup',
    area: 'forms',
    methods: ['POST'],
    paths: ['/form/company-lookup/autocomplete'],
    upstream: 'forms',
    replayable: true,
    mauticRoutes: ['mautic_form_company_lookup'],
    reference: '§4.4',
    comparison: XHR_JSON_RULES,
  },
];
