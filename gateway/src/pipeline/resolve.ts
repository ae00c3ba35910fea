/**
 * Stage 2, resolve: the Decision for (route, tenant) from the flag snapshot
 * (docs/architecture.md §3). Pure: the same inputs always give the same decision, and the
 * sticky key is only computed when a canary needs it. Never fails.
 *
 * Precedence: tenant flag (`tenant-override`) > global flag (`flag`) >
 * catalogue default (`legacy`, reason `default`). A flag the guard set by
 * stepping back gives `guard-rollback` instead (canary: `bucket`/`bucket-out`).
 */
import type { CompiledRoute } from '../routing/types.ts';
import { flagKey, type FlagSnapshot } from '../flags/store.ts';
import { bucketOf, isInCanary } from './bucket.ts';
import type { Decision, Flag } from '../model.ts';

/** What resolve reads. */
export interface ResolveInput {
  readonly route: CompiledRoute;
  readonly tenantId: string;
  readonly snapshot: FlagSnapshot;
  /** Returns the request's sticky key; called only in canary. */
  readonly stickyKey: () => string;
}

/**
 * Resolves the decision of one request.
 *
 * @example
 * resolve({ route, tenantId: 'default', snapshot, stickyKey: () => 'device:abc' })
 * // { mode: 'canary', reason: 'bucket', primary: 'tracking', bucket: 17 }
 */
export function resolve(input: ResolveInput): Decision {
  const { route, tenantId, snapshot } = input;
  const tenantFlag = snapshot.flags.get(flagKey(route.id, tenantId));
  const flag: Flag | undefined = tenantFlag ?? snapshot.flags.get(flagKey(route.id, null));
  if (!flag) return { mode: 'legacy', reason: 'default', primary: 'legacy' };
  const reason = flag.setBy === 'guard' ? 'guard-rollback' : tenantFlag ? 'tenant-override' : 'flag';
  if (flag.mode === 'legacy') return { mode: 'legacy', reason, primary: 'legacy' };
  // A flag the admin API refuses; kept safe in case a store holds one anyway.
  if (route.upstream === null) return { mode: flag.mode, reason: 'no-upstream', primary: 'legacy' };
  switch (flag.mode) {
    case 'shadow':
      return { mode: 'shadow', reason, primary: 'legacy', shadow: route.upstream };
    case 'extracted':
      return { mode: 'extracted', reason, primary: route.upstream };
    case 'canary': {
      const bucket = bucketOf(route.journeyGroup, input.stickyKey());
      return isInCanary(bucket, flag.percent ?? 0)
        ? { mode: 'canary', reason: 'bucket', primary: route.upstream, bucket }
        : { mode: 'canary', reason: 'bucket-out', primary: 'legacy', bucket };
    }
  }
}
