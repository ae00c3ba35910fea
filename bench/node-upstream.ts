/**
 * The bare Node upstream (node-upstream-child.ts) and the bare forwarder
 * (forwarder-child.ts) as tracked child processes.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startChild, waitForPort } from './processes.ts';

/** Starts the bare Node server on 127.0.0.1:`port`; resolves once it accepts connections. */
export async function startNodeUpstream(port: number): Promise<ChildProcess> {
  const child = startChild(process.execPath, [join(process.cwd(), 'bench', 'node-upstream-child.ts'), String(port)]);
  await waitForPort(port);
  return child;
}

/** Starts the bare forwarder (forwarder-child.ts) on 127.0.0.1:`port` in front of 127.0.0.1:`upstreamPort`. */
export async function startForwarder(port: number, upstreamPort: number): Promise<ChildProcess> {
  const child = startChild(process.execPath, [join(process.cwd(), 'bench', 'forwarder-child.ts'), String(port), String(upstreamPort)]);
  await waitForPort(port);
  return child;
}
