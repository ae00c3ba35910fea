/**
 * The dry-run contract (docs/architecture.md §5) over the tracking cases: each case's
 * final request is sent to the tracking service with `X-Strangler-Mode: shadow`. It must
 * answer exactly what the case expects, plus `X-Strangler-Dry-Run: 1`, and leave every
 * tracking table as it was before the request (on SQLite, MariaDB and the real schema).
 */
import type { Db, Row } from '../../../legacy-adapter/src/db/types.ts';
import { rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../../test-support/databases.ts';
import { TRACKING_SERVICE } from '../implementations.ts';
import { checkAnswer, exchange, implementationPool } from '../run-contract.ts';
import { TRACKING_TABLES, clearTrackingContract } from './fixtures.ts';
import { TRACKING_CASES } from './tracking-cases.ts';

async function snapshot(db: Db): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of TRACKING_TABLES) {
    const order = table === 'channel_url_trackables' ? 'redirect_id, channel_id' : table === 'lead_ips_xref' ? 'lead_id, ip_id' : 'id';
    out[table] = await rows(db, table, order);
  }
  return out;
}

forEachDialect('tracking dry runs', (getDb) => {
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
}, { realMautic: true });
