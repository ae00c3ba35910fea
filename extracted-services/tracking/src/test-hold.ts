/**
 * A test hook of the real process (`npm run serve -- tracking`): with
 * `TRACKING_TEST_HOLD_BEFORE_COMMIT=<text>`, a request whose hit's `page_url` contains
 * `<text>` stops after its phase-2 message was queued and before its COMMIT, and says so on
 * stdout (`tracking test hold: hit <id> queued, commit held`), so a test can SIGKILL the
 * process in that window (test/phase-two-window.test.ts). Never set in production.
 */
import type { HitCompletion } from './domain/hit-completion.ts';

/** The `beforeCommit` hook the variable asks for, if any. */
export function holdBeforeCommitFromEnv(env: Record<string, string | undefined>): ((hits: readonly HitCompletion[]) => Promise<void>) | undefined {
  const text = env.TRACKING_TEST_HOLD_BEFORE_COMMIT;
  if (!text) return undefined;
  return async (hits) => {
    const held = hits.filter((h) => String(h.query.get('page_url') ?? '').includes(text));
    if (held.length === 0) return;
    process.stdout.write(`tracking test hold: hit ${held.map((h) => h.hitId).join(',')} queued, commit held\n`);
    await new Promise<never>(() => {});
  };
}
