/**
 * The dry-run contract (docs/architecture.md §5) over the form cases: each case's final
 * request is sent to the forms service with `X-Strangler-Mode: shadow`. It must answer exactly
 * what the case expects, plus `X-Strangler-Dry-Run: 1`, and leave every table a submission
 * touches (the form's results table included) as it was (SQLite, MariaDB, the real schema).
 * The statement limit is raised so a loaded test machine does not make the dry run give up.
 */
import type { Db, Row } from '../../../legacy-adapter/src/db/types.ts';
import { rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../../test-support/databases.ts';
import { formsService } from '../implementations.ts';
import { checkAnswer, exchange, implementationPool } from '../run-contract.ts';
import { FORM_CASES } from './form-cases.ts';
import { FORM_TABLES, clearFormsContract, resultsTables } from './fixtures.ts';

async function snapshot(db: Db): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of FORM_TABLES) out[table] = await rows(db, table, table === 'lead_ips_xref' ? 'lead_id, ip_id' : 'id');
  for (const table of await resultsTables(db)) out[table] = await rows(db, table.slice(db.prefix.length), 'submission_id');
  return out;
}

forEachDialect('forms dry runs', (getDb) => {
  // The answer and the rollback are checked here; giving up on a lock is dry-run-lock.test.ts's.
  const pool = implementationPool(formsService({ dryRunLockTimeoutMs: 5_000 }), getDb);
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
}, { realMautic: ['', 'mt_'] });
