/**
 * The dry-run contract over the form cases (contract/dry-run-block.ts): every table a
 * submission touches (the form's results table included) stays as it was, and no file is
 * stored. Run by forms.contract.test.ts on the contract's databases. The statement limit is
 * raised so a loaded machine does not make a dry run give up (giving up is
 * forms/test/dry-run-lock.test.ts's).
 */
import type { Db, Row } from '../../../legacy-adapter/src/db/types.ts';
import { dryRunBlock } from '../dry-run-block.ts';
import { formsService } from '../implementations.ts';
import { tableRows } from '../run-contract.ts';
import { FORM_CASES } from './form-cases.ts';
import { FORM_TABLES, clearFormsContract, resultsTables } from './fixtures.ts';

async function snapshot(db: Db): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of FORM_TABLES) out[table] = await tableRows(db, table);
  for (const table of await resultsTables(db)) out[table] = await tableRows(db, table.slice(db.prefix.length));
  return out;
}

/** Registers the dry-run block (inside the contract's `forEachDialect`). */
export function formsDryRuns(getDb: () => Db): void {
  dryRunBlock(getDb, { title: 'forms service, dry runs', implementation: formsService({ dryRunLockTimeoutMs: 10_000 }), cases: FORM_CASES, clear: clearFormsContract, snapshot });
}
