/**
 * Runs `gateway/src/main.ts` as a real process, for the exit-code and signal
 * tests. Lines of stdout are parsed as pino JSON as they arrive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root (npm scripts run there). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A gateway process. */
export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly lines: Array<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the first stdout line whose `msg` is `msg`. */
  line(msg: string): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  cleanup(): void;
}

/**
 * Spawns the gateway with `env` and a config file holding `config`.
 *
 * @param command - `['npx', 'node']` to go through npx like a user, or the Node binary.
 */
export function spawnGateway(env: Record<string, string>, config: unknown, command: readonly string[] = [process.execPath]): GatewayProcess {
  const dir = mkdtempSync(join(tmpdir(), 'strangler-gw-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  const [cmd, ...args] = command as [string, ...string[]];
  const child = spawn(cmd, [...args, 'gateway/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STRANGLER_CONFIG: file, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const events = new EventEmitter();
  let buffered = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        events.emit('line', line);
      } catch {
        // npx may print a notice; only JSON lines are the gateway's.
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return {
    child,
    lines,
    stderr: () => err,
    async line(msg) {
      for (;;) {
        const found = lines.find((l) => l.msg === msg);
        if (found) return found;
        await Promise.race([once(events, 'line'), exited.then(() => {
          throw new Error(`gateway exited before logging "${msg}"; stderr: ${err}`);
        })]);
      }
    },
    exited,
    cleanup() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
