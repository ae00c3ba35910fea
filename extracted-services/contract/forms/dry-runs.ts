/**
 * The dry-run contract (docs/architecture.md §5) over the form cases: each case's final
 * request is sent to the forms service with `X-Strangler-Mode: shadow`. It must answer exactly
 * what the case expects, plus `X-Strangler-Dry-Run: 1`, and leave every table a submission
 * touches (the form's results table included) as it was, and store no file. Run by
 * forms.contract.test.ts on the contract's databases. The statement limit is raised so a
 * loaded machine does not make a dry run give up (giving up is forms/test/dry-run-lock.test.ts's).
 */
import type { Db, Row } from '../../../legacy-adapter/src/db/types.ts';
import { formsService } from '../implementations.ts';
import { checkAnswer, exchange, implementationPool, tableRows } from '../run-contract.ts';
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
  describe('forms service, dry runs', () => {
    const pool = implementationPool(formsService({ dryRunLockTimeoutMs: 10_000 }), getDb);
    afterAll(() => pool.closeAll());
    beforeEach(() => clearFormsContract(getDb()));

    it.each(FORM_CASES.map((c) => [`${c.name} (${c.cite})`, c] as const))('%s', async (_name, kase) => {
      const running = await pool.get(kase.settings);
      let before: Record<string, Row[]> = {};
      const { fx, res } = await exchange(running.url, getDb(), kase, {
        beforeRequest: async () => {
          before = await snapshot(getDb());
        },
        adjust: (r) => ({ ...r, headers: { ...r.headers, 'x-strangler-mode': 'shadow' } }),
      });
      const want = kase.expect(fx);
      checkAnswer(res, { ...want, headers: { ...want.headers, 'x-strangler-dry-run': '1' } });
      expect(await snapshot(getDb())).toEqual(before);
    });
  });
}
