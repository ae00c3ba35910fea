/**
 * The dry-run contract over the tracking cases (contract/dry-run-block.ts): every tracking table
 * stays as it was. Run by tracking.contract.test.ts on the contract's databases (SQLite,
 * MariaDB, the real schema).
 */
import type { Db, Row } from '../../../legacy-adapter/src/db/types.ts';
import { dryRunBlock } from '../dry-run-block.ts';
import { TRACKING_SERVICE } from '../implementations.ts';
import { tableRows } from '../run-contract.ts';
import { TRACKING_TABLES, clearTrackingContract } from './fixtures.ts';
import { TRACKING_CASES } from './tracking-cases.ts';

async function snapshot(db: Db): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of TRACKING_TABLES) out[table] = await tableRows(db, table);
  return out;
}

/** Registers the dry-run block (inside the contract's `forEachDialect`). */
export function trackingDryRuns(getDb: () => Db): void {
  dryRunBlock(getDb, { title: 'tracking service, dry runs', implementation: TRACKING_SERVICE, cases: TRACKING_CASES, clear: clearTrackingContract, snapshot });
}
