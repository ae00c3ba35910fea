/**
 * The tracking contract (docs/mautic/public-http.md §2–3, §6): every case against the
 * stand-in (the reference) and the tracking service, on SQLite, MariaDB and the real
 * Mautic 5 schema; then every case again as a dry run of the service (dry-runs.ts).
 */
import { STANDIN, TRACKING_SERVICE } from '../implementations.ts';
import { runContract } from '../run-contract.ts';
import { trackingDryRuns } from './dry-runs.ts';
import { clearTrackingContract } from './fixtures.ts';
import { TRACKING_CASES } from './tracking-cases.ts';

runContract('tracking', TRACKING_CASES, [STANDIN, TRACKING_SERVICE], { clear: clearTrackingContract, alsoRun: trackingDryRuns });
