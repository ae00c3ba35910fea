/**
 * Redis for flag-store tests. The shared Redis (test-support/services.ts) is
 * used by other test files at the same time, so each test gets its own key
 * prefix there; outage tests start their own redis-server on a free port,
 * which they may stop and start again (its data saved to a temp folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { closedPort } from './path-scripted-upstream.ts';

/** A key prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `strangler-test:${name}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under `prefix` on the Redis at `url`. */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A redis-server of our own. */
export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  /** Saves its data (SHUTDOWN SAVE) and waits for the process to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the saved data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

/**
 * Starts `/usr/bin/redis-server` on a free port (or `port`, for a Redis that
 * should come up later), with no save points and no AOF.
 *
 * @param startNow - false to only reserve the port and folder (start() later).
 */
export async function startOwnRedis(startNow = true): Promise<OwnRedis> {
  const port = await closedPort();
  const dir = mkdtempSync(join(tmpdir(), 'strangler-redis-'));
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  const start = async (): Promise<void> => {
    const proc = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    child = proc;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
    });
    proc.stdout?.resume();
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = once(proc, 'exit');
    const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await admin.connect();
    await admin.call('SHUTDOWN', 'SAVE').catch(() => undefined);
    admin.disconnect();
    await exited;
    child = null;
  };
  if (startNow) await start();
  return {
    url, port, start, stop,
    async dispose() {
      await stop().catch(() => (child as ChildProcess | null)?.kill('SIGKILL'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
