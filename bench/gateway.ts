/**
 * Starts the gateway under test the way its container does: `npm run build`
 * compiles dist/, then the command of `npm run serve` (package.json:
 * `MALLOC_ARENA_MAX=… node <V8 flags> dist/scripts/serve.js`) runs with the part `gateway`, every route
 * in its catalogue default mode (legacy) and the benchmark's upstream as
 * LEGACY_URL. Its own process, so its RSS is its own and it gets its own event
 * loop; started with process.execPath instead of the word `node`, so the
 * benchmark's Node runs it.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startChild, waitForPort } from './processes.ts';

/** A running gateway, or why there is none. */
export type GatewayProcess = { readonly child: ChildProcess; readonly port: number; readonly adminPort: number } | { readonly missing: string };

/** How package.json's `serve` script starts a part. */
export interface ServeCommand {
  /** Variables set before `node`, e.g. `{ MALLOC_ARENA_MAX: '2' }`. */
  readonly env: Readonly<Record<string, string>>;
  /** The arguments after `node`, e.g. `['--max-semi-space-size=8', 'dist/scripts/serve.js']`. */
  readonly args: readonly string[];
}

/**
 * Reads package.json's `serve` script: `[VAR=value…] node [flags…] dist/…`.
 *
 * @throws when it has another shape (then the benchmark would not run what the container runs).
 */
export function serveCommand(packageJson: string): ServeCommand {
  const script = (JSON.parse(packageJson) as { scripts?: Record<string, string> }).scripts?.serve ?? '';
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=\S*$/.test(words[0])) {
    const [name, ...value] = (words.shift() as string).split('=');
    env[name as string] = value.join('=');
  }
  const [command, ...args] = words;
  if (command !== 'node' || !args.some((a) => a.startsWith('dist/'))) {
    throw new Error(`package.json "serve" must be "[VAR=value…] node [flags…] dist/…", got ${JSON.stringify(script)}`);
  }
  return { env, args };
}

/** Runs `npm run build` (the Dockerfile's build step); returns why it failed, or null. */
export function buildGateway(): string | null {
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    return null;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
    return `npm run build failed: ${`${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`.slice(-2000) || String(err)}`;
  }
}

/**
 * Starts the built gateway with `legacyUrl` as the default tenant's legacy upstream.
 *
 * @param env - more variables, e.g. `TRACKING_URL` and `ADMIN_TOKEN` (bench/dead-upstream.ts).
 */
export async function startGatewayProcess(legacyUrl: string, env: Readonly<Record<string, string>> = {}): Promise<GatewayProcess> {
  let serve: ServeCommand;
  try {
    serve = serveCommand(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
  } catch (err) {
    return { missing: (err as Error).message };
  }
  const port = await freePort();
  const adminPort = await freePort();
  const stderr: Buffer[] = [];
  const child = startChild(process.execPath, [...serve.args, 'gateway'], {
    // stdout carries one log line per request: it is written (that cost is real) and dropped.
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...serve.env, PORT: String(port), ADMIN_PORT: String(adminPort), LEGACY_URL: legacyUrl, NODE_ENV: 'production', ...env },
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = once(child, 'exit').then(([code]) => `the gateway exited with ${String(code)}: ${Buffer.concat(stderr).toString().slice(-2000)}`);
  const outcome = await Promise.race([waitForPort(port, 20_000).then(() => null), exited]);
  if (outcome !== null) return { missing: outcome };
  return { child, port, adminPort };
}
