/** Ending a child process a test started. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Sends `signal` to `child` and resolves once it has exited; at once if it already has.
 *
 * @example await killAndWait(worker.child, 'SIGKILL');
 */
export async function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
