/**
 * Waiting on what a gateway process logs or answers, for tests that run
 * several processes.
 */
import { once } from 'node:events';
import type { GatewayProcess } from './spawn-gateway.ts';

/** Resolves with the first stdout line (already seen or still to come) that `match` accepts. */
export async function waitForLine(gw: GatewayProcess, match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (;;) {
    const found = gw.lines.find(match);
    if (found) return found;
    if (gw.child.exitCode !== null) throw new Error(`gateway exited; stderr: ${gw.stderr()}`);
    await once(gw.child.stdout as NodeJS.ReadableStream, 'data');
  }
}

/**
 * Calls `probe` every `everyMs` until it returns something other than null,
 * for state no event announces (a heartbeat landing in Redis); fails after `timeoutMs`.
 */
export async function untilTrue<T>(probe: () => Promise<T | null>, timeoutMs = 5_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
