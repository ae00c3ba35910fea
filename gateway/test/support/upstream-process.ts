/**
 * Starts `upstream-process-child.ts` as a real process on 127.0.0.1 (port 0), so
 * a test can kill an upstream the way production loses one (SIGKILL: sockets
 * reset, then connections refused).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** A running upstream process. */
export interface UpstreamProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** What the process has seen: requests (not counting `/_seen`) and open connections (not counting the asking one). */
  seen(): Promise<{ requests: number; connections: number }>;
  /** SIGKILL, resolved once the process has exited; safe to call twice. */
  kill(): Promise<void>;
}

/**
 * Spawns the upstream process and waits until it listens.
 *
 * @example
 * const tracking = await startUpstreamProcess('tracking');
 * await tracking.kill();
 */
export async function startUpstreamProcess(name: string): Promise<UpstreamProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'upstream-process-child.ts')], {
    env: { PATH: process.env.PATH ?? '', UPSTREAM_NAME: name },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [chunk] = (await Promise.race([once(child.stdout!, 'data'), exited.then(() => { throw new Error(`upstream process ${name} exited before listening`); })])) as [Buffer];
  const { port } = JSON.parse(chunk.toString('utf8')) as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    child,
    async seen() {
      return (await (await fetch(`${url}/_seen`)).json()) as { requests: number; connections: number };
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
