/**
 * The forms contract (docs/mautic/public-http.md §4): every case against the stand-in (the
 * reference) and the forms service, on SQLite, MariaDB and the real Mautic 5 schema with and
 * without a table prefix; then every case again as a dry run of the service (dry-runs.ts).
 */
import { FORMS_SERVICE, STANDIN } from '../implementations.ts';
import { runContract } from '../run-contract.ts';
import { formsDryRuns } from './dry-runs.ts';
import { FORM_CASES } from './form-cases.ts';
import { clearFormsContract } from './fixtures.ts';

runContract('forms', FORM_CASES, [STANDIN, FORMS_SERVICE], { clear: clearFormsContract, alsoRun: formsDryRuns, realMauticPrefixes: ['', 'mt_'] });
