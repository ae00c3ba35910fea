/**
 * Child processes of the benchmark: started here, tracked, and all ended when
 * the benchmark ends, however it ends (normal exit, error, Ctrl-C, watchdog).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

const children = new Set<ChildProcess>();

/** Starts a tracked child; its stdout/stderr go where `options.stdio` says. */
export function startChild(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'], ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Ends one child: SIGTERM, then SIGKILL after `graceMs` (default 3000 ms). */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Kills every child still running, synchronously (safe in an 'exit' handler). */
export function killAllChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Makes sure children die with the benchmark. */
export function installCleanup(): void {
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
}

/** A free TCP port on 127.0.0.1 (bound and released; the benchmark owns the loopback). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Resolves once something accepts on 127.0.0.1:port; rejects after `timeoutMs` (default 10000). */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of a process in MiB, from /proc; NaN when it is gone. */
export function rssMiB(pid: number): number {
  return statusMiB(pid, 'VmRSS');
}

/** The highest resident set size a process has had in its life, in MiB (VmHWM); NaN when it is gone. */
export function hwmMiB(pid: number): number {
  return statusMiB(pid, 'VmHWM');
}

/** Samples the RSS of `pid` every `everyMs` (default 200 ms) until stopped; returns the peak in MiB. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    if (Number.isFinite(now)) peak = Number.isFinite(peak) ? Math.max(peak, now) : now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
