/**
 * Starts the gateway under test in its own process (so its RSS is its own and
 * it gets its own event loop), every route in its catalogue default mode
 * (legacy), with the benchmark's upstream as the legacy upstream.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startChild, waitForPort } from './processes.ts';

/** A running gateway, or why there is none. */
export type GatewayProcess = { readonly child: ChildProcess; readonly port: number } | { readonly missing: string };

/** Starts the gateway with `legacyUrl` as the default tenant's legacy upstream. */
export async function startGatewayProcess(legacyUrl: string): Promise<GatewayProcess> {
  const main = join(process.cwd(), 'gateway', 'src', 'main.ts');
  if (!existsSync(main)) return { missing: 'gateway/src/main.ts does not exist yet' };
  const port = await freePort();
  const adminPort = await freePort();
  const stderr: Buffer[] = [];
  const child = startChild(process.execPath, [join(process.cwd(), 'bench', 'gateway-child.ts')], {
    // stdout carries one log line per request: it is written (that cost is real) and dropped.
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PORT: String(port), ADMIN_PORT: String(adminPort), LEGACY_URL: legacyUrl, NODE_ENV: 'production' },
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = once(child, 'exit').then(([code]) => `the gateway exited with ${String(code)}: ${Buffer.concat(stderr).toString().slice(-2000)}`);
  const outcome = await Promise.race([waitForPort(port, 20_000).then(() => null), exited]);
  if (outcome !== null) return { missing: outcome };
  return { child, port };
}
