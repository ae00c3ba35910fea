/**
 * The dry-run contract (docs/architecture.md §5) for one service: each case's final request is
 * sent with `X-Strangler-Mode: shadow`. The service must answer exactly what the case expects,
 * plus `X-Strangler-Dry-Run: 1`, and leave every table of `snapshot` as it was before the request.
 */
import type { Db, Row } from '../../legacy-adapter/src/db/types.ts';
import type { ContractCase } from './contract-case.ts';
import type { Implementation } from './implementations.ts';
import { checkAnswer, exchange, implementationPool } from './run-contract.ts';

/** What a service's dry-run block needs. */
export interface DryRunBlock {
  readonly title: string;
  readonly implementation: Implementation;
  readonly cases: readonly ContractCase[];
  /** Empties the area's tables before each case. */
  clear(db: Db): Promise<void>;
  /** Every row the area could write, by table. */
  snapshot(db: Db): Promise<Record<string, Row[]>>;
}

/** Registers the block (inside the contract's `forEachDialect`). */
export function dryRunBlock(getDb: () => Db, block: DryRunBlock): void {
  describe(block.title, () => {
    const pool = implementationPool(block.implementation, getDb);
    afterAll(() => pool.closeAll());
    beforeEach(() => block.clear(getDb()));

    it.each(block.cases.map((c) => [`${c.name} (${c.cite})`, c] as const))('%s', async (_name, kase) => {
      const running = await pool.get(kase.settings);
      let before: Record<string, Row[]> = {};
      const { fx, res } = await exchange(running.url, getDb(), kase, {
        beforeRequest: async () => {
          before = await block.snapshot(getDb());
        },
        adjust: (r) => ({ ...r, headers: { ...r.headers, 'x-strangler-mode': 'shadow' } }),
      });
      const want = kase.expect(fx);
      checkAnswer(res, { ...want, headers: { ...want.headers, 'x-strangler-dry-run': '1' } });
      expect(await block.snapshot(getDb())).toEqual(before);
    });
  });
}
