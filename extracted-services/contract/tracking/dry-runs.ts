/**
 * The dry-run contract (docs/architecture.md §5) over the tracking cases: each case's
 * final request is sent to the tracking service with `X-Strangler-Mode: shadow`. It must
 * answer exactly what the case expects, plus `X-Strangler-Dry-Run: 1`, and leave every
 * tracking table as it was before the request. Run by tracking.contract.test.ts on the
 * contract's databases (SQLite, MariaDB, the real schema).
 */
import type { Db, Row } from '../../../legacy-adapter/src/db/types.ts';
import { TRACKING_SERVICE } from '../implementations.ts';
import { checkAnswer, exchange, implementationPool, tableRows } from '../run-contract.ts';
import { TRACKING_TABLES, clearTrackingContract } from './fixtures.ts';
import { TRACKING_CASES } from './tracking-cases.ts';

async function snapshot(db: Db): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of TRACKING_TABLES) out[table] = await tableRows(db, table);
  return out;
}

/** Registers the dry-run block (inside the contract's `forEachDialect`). */
export function trackingDryRuns(getDb: () => Db): void {
  describe('tracking service, dry runs', () => {
    const pool = implementationPool(TRACKING_SERVICE, getDb);
    afterAll(() => pool.closeAll());
    beforeEach(() => clearTrackingContract(getDb()));

    it.each(TRACKING_CASES.map((c) => [`${c.name} (${c.cite})`, c] as const))('%s', async (_name, kase) => {
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
